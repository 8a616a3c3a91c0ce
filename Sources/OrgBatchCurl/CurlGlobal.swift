import CCurl

/// libcurl's process-wide initialisation, done once before the first easy handle.
///
/// `curl_global_init` is not thread-safe; a Swift global `let` is initialised exactly once
/// (under `swift_once`), so every handle touching `CurlGlobal.ready` first is enough.
enum CurlGlobal {
    static let ready: Bool = orgbatch_curl_global_init() == CURLE_OK
}
