import CCurl
import Glibc
import OrgBatch
import SigV4

/// One libcurl easy handle, reused request after request so its connection stays open.
///
/// Deliberately not `Sendable`: an easy handle must never be used by two threads at once, so
/// a worker owns one for its whole life. The write and header callbacks find this object
/// again through the `Unmanaged` pointer passed as their user data.
final class CurlEasyHandle {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    // The two receive buffers are appended to from libcurl's callbacks, a dozen times a
    // request. `@exclusivity(unchecked)`: the handle belongs to one worker thread, and each
    // access is a single append or read, never overlapping another; the run-time check
    // (thread-local bookkeeping on every access) is left out.
    @exclusivity(unchecked) private var responseBody: [UInt8] = []
    /// The final header block's lines, as libcurl delivers them.
    @exclusivity(unchecked) private var responseHeaders: [UInt8] = []
    /// Options as last set, so a request sets only what changed.
    private var timeouts: HTTPTimeouts?
    /// The proxies from the environment, read once.
    private let proxies: ProxySettings
    /// How many new connections libcurl has opened over this handle's life.
    private(set) var connectionsOpened = 0
    /// The receive buffer's capacity, kept between requests.
    var retainedBodyBytes: Int { responseBody.capacity }
    /// The request headers as libcurl reads them: `curl_slist` nodes pointing into one
    /// buffer of NUL-terminated lines, both owned by this handle and reused, so a request
    /// allocates nothing for its headers. (libcurl reads the list during the transfer only.)
    private var headerText = UnsafeMutableBufferPointer<CChar>.allocate(capacity: 1024)
    private var headerNodes = UnsafeMutableBufferPointer<curl_slist>.allocate(capacity: 16)

    /// The most a handle keeps of its receive buffer between requests.
    static let keptBodyCapacity = 16 * 1024

    init(proxies: ProxySettings) {
        precondition(CurlGlobal.ready, "curl_global_init failed")
        self.proxies = proxies
        guard let handle = curl_easy_init() else { fatalError("curl_easy_init returned NULL") }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))

        let me = Unmanaged.passUnretained(self).toOpaque()
        // Signals are not for libraries: no SIGALRM for DNS timeouts, no SIGPIPE handling.
        setLong(CURLOPT_NOSIGNAL, 1)
        orgbatch_curl_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        orgbatch_curl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteCallback)
        orgbatch_curl_setopt_ptr(handle, CURLOPT_WRITEDATA, me)
        orgbatch_curl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, curlHeaderCallback)
        orgbatch_curl_setopt_ptr(handle, CURLOPT_HEADERDATA, me)
        // TLS peer verification is always on; there is no switch to turn it off.
        setLong(CURLOPT_SSL_VERIFYPEER, 1)
        setLong(CURLOPT_SSL_VERIFYHOST, 2)
        setLong(CURLOPT_FOLLOWLOCATION, 0)
        setLong(CURLOPT_TCP_KEEPALIVE, 1)
        // AWS's answers here are small (a ListAccounts page is a few KiB): a 4 KiB receive
        // buffer instead of 16 KiB, kept by every worker's handle.
        setLong(CURLOPT_BUFFERSIZE, 4096)
        _ = "http,https".withCString { orgbatch_curl_setopt_ptr(handle, CURLOPT_PROTOCOLS_STR, $0) }
        // Given, libcurl does not look `no_proxy` up in the environment on every request.
        _ = (proxies.noProxy ?? "").withCString { orgbatch_curl_setopt_ptr(handle, CURLOPT_NOPROXY, $0) }
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
        headerText.deallocate()
        headerNodes.deallocate()
    }

    /// Performs one request and returns the complete response.
    func perform(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        responseBody.removeAll(keepingCapacity: true)
        responseHeaders.removeAll(keepingCapacity: true)
        errorBuffer[0] = 0
        // A large answer (a page of accounts) is not kept for the handle's whole life: the
        // response takes the buffer, and the next request starts from a small one. (Every
        // worker kept the capacity of the largest page it had read: 64 workers × 128 KiB.)
        defer { if responseBody.capacity > Self.keptBodyCapacity { responseBody = [] } }

        let headerList = headerList(request.headers)

        let code: CURLcode = request.url.withCString { url in
            request.method.withCString { method in
                request.body.withUnsafeBytes { body in
                    orgbatch_curl_setopt_ptr(handle, CURLOPT_URL, url)
                    orgbatch_curl_setopt_ptr(handle, CURLOPT_HTTPHEADER, headerList)
                    if request.timeouts != timeouts {
                        setLong(CURLOPT_CONNECTTIMEOUT_MS, Int(request.timeouts.connect * 1000))
                        setLong(CURLOPT_TIMEOUT_MS, Int(request.timeouts.total * 1000))
                        timeouts = request.timeouts
                    }
                    setProxy(for: request.url)
                    if request.method == "GET" && body.isEmpty {
                        orgbatch_curl_setopt_ptr(handle, CURLOPT_CUSTOMREQUEST, nil)
                        setLong(CURLOPT_HTTPGET, 1)
                    } else {
                        setLong(CURLOPT_POST, 1)
                        orgbatch_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
                        // POSTFIELDS must not be NULL for POST, or curl reads the body from stdin.
                        orgbatch_curl_setopt_ptr(handle, CURLOPT_POSTFIELDS, body.baseAddress ?? UnsafeRawPointer(url))
                        orgbatch_curl_setopt_ptr(handle, CURLOPT_CUSTOMREQUEST, request.method == "POST" ? nil : method)
                    }
                    let result = curl_easy_perform(handle)
                    // The pointers set above die with these closures; never leave them behind.
                    orgbatch_curl_setopt_ptr(handle, CURLOPT_POSTFIELDS, nil)
                    orgbatch_curl_setopt_ptr(handle, CURLOPT_CUSTOMREQUEST, nil)
                    orgbatch_curl_setopt_ptr(handle, CURLOPT_HTTPHEADER, nil)
                    return result
                }
            }
        }

        var newConnections = 0
        orgbatch_curl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &newConnections)
        connectionsOpened += newConnections

        guard code == CURLE_OK else {
            throw CurlErrorMapping.transportError(code: code, buffer: String(cString: errorBuffer))
        }
        var status = 0
        orgbatch_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headerBlock: responseHeaders, body: responseBody)
    }

    /// `Name: value` lines for libcurl, plus an empty `Expect:` so a larger body goes without a
    /// `100-continue` round trip, and an empty `Accept:` so libcurl leaves out its
    /// `Accept: */*` (AWS's JSON APIs ignore it; libcurl formats every header byte by byte).
    private func headerList(_ headers: [(name: String, value: String)]) -> UnsafeMutablePointer<curl_slist> {
        let ownAccept = headers.contains { $0.name.utf8.count == 6 && $0.name.lowercased() == "accept" }
        let lines = headers.count + (ownAccept ? 1 : 2)
        let size = headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 3 } + 16
        if headerText.count < size {
            headerText.deallocate()
            headerText = .allocate(capacity: max(size, 2 * headerText.count))
        }
        if headerNodes.count < lines {
            headerNodes.deallocate()
            headerNodes = .allocate(capacity: max(lines, 2 * headerNodes.count))
        }
        // Written with locals and `inout`, not nested functions: a variable that nested
        // functions capture is boxed, and every access to it is checked for exclusivity at run
        // time (two dozen checks a request).
        let (text, nodes) = (UnsafeMutableRawBufferPointer(headerText), headerNodes)
        var offset = 0
        var line = 0
        for (name, value) in headers {
            let start = offset
            Self.copy(name, to: text, at: &offset)
            Self.copy(": ", to: text, at: &offset)
            Self.copy(value, to: text, at: &offset)
            Self.endLine(from: start, text: text, nodes: nodes, offset: &offset, line: &line, lines: lines)
        }
        let empty: (StaticString, StaticString) = ("Expect:", "Accept:")
        for index in 0..<(ownAccept ? 1 : 2) {
            let start = offset
            (index == 0 ? empty.0 : empty.1).withUTF8Buffer { Self.copy(UnsafeRawBufferPointer($0), to: text, at: &offset) }
            Self.endLine(from: start, text: text, nodes: nodes, offset: &offset, line: &line, lines: lines)
        }
        return nodes.baseAddress!
    }

    private static func copy(_ bytes: UnsafeRawBufferPointer, to text: UnsafeMutableRawBufferPointer, at offset: inout Int) {
        guard let source = bytes.baseAddress else { return }
        precondition(bytes.count <= text.count - offset)
        text.baseAddress!.advanced(by: offset).copyMemory(from: source, byteCount: bytes.count)
        offset += bytes.count
    }

    private static func copy(_ string: String, to text: UnsafeMutableRawBufferPointer, at offset: inout Int) {
        string.withUTF8Bytes { copy(UnsafeRawBufferPointer($0), to: text, at: &offset) }
    }

    /// Ends the line begun at `start` with its NUL and links its node to the next one.
    private static func endLine(
        from start: Int, text: UnsafeMutableRawBufferPointer, nodes: UnsafeMutableBufferPointer<curl_slist>,
        offset: inout Int, line: inout Int, lines: Int
    ) {
        precondition(offset < text.count)
        text[offset] = 0
        offset += 1
        let next = line + 1 < lines ? nodes.baseAddress! + line + 1 : nil
        nodes[line] = curl_slist(data: text.baseAddress!.advanced(by: start).assumingMemoryBound(to: CChar.self), next: next)
        line += 1
    }

    fileprivate func appendBody(_ bytes: UnsafeRawBufferPointer) {
        responseBody.append(contentsOf: bytes)
    }

    /// One header line as libcurl delivers it, `Name: value\r\n`, kept as it is (the response
    /// reads a header when asked). A status line starts a new header block (after an interim
    /// `100 Continue`, only the final block counts).
    fileprivate func appendHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count >= 5 && bytes[0] == UInt8(ascii: "H") && bytes[1] == UInt8(ascii: "T") && bytes[2] == UInt8(ascii: "T")
            && bytes[3] == UInt8(ascii: "P") && bytes[4] == UInt8(ascii: "/")
        {
            responseHeaders.removeAll(keepingCapacity: true)
            return
        }
        responseHeaders.append(contentsOf: bytes)
        if bytes.last != UInt8(ascii: "\n") { responseHeaders.append(UInt8(ascii: "\n")) }
    }

    private func setLong(_ option: CURLoption, _ value: Int) {
        orgbatch_curl_setopt_long(handle, option, value)
    }

    /// The origin (its bytes) `CURLOPT_PROXY` was last set for: a worker's requests go to a few
    /// endpoints.
    private var proxiedOrigin: [UInt8]?

    /// Sets the environment's proxy for the URL's origin explicitly ("" for none), so libcurl
    /// does not look it up on every request; a loopback or link-local (credentials) endpoint
    /// never goes through one. Only when the origin differs from the last request's.
    private func setProxy(for url: String) {
        url.withUTF8Bytes { bytes in
            let origin = UnsafeBufferPointer(rebasing: bytes[..<Self.originEnd(of: bytes)])
            // Compared in place: the origin is copied only when it changes.
            if let proxiedOrigin, Self.sameBytes(proxiedOrigin, origin) { return }
            let text = String(decoding: origin, as: UTF8.self)
            let proxy = Self.isLocalURL(text) ? "" : proxies.proxy(forHTTPS: text.hasPrefix("https:"))
            // libcurl copies string options, so a temporary C string is enough.
            _ = proxy.withCString { orgbatch_curl_setopt_ptr(handle, CURLOPT_PROXY, $0) }
            proxiedOrigin = Array(origin)
        }
    }

    /// Compared as memory: the generic `elementsEqual` took 600 instructions on every request.
    static func sameBytes(_ kept: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        kept.count == bytes.count
            && kept.withUnsafeBytes { kept in
                kept.count == 0 || memcmp(kept.baseAddress!, bytes.baseAddress!, kept.count) == 0
            }
    }

    /// Where a URL's origin (`scheme://host[:port]`) ends: at the first `/` after `scheme://`.
    private static func originEnd(of bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return bytes.count }
        var index = min(colon + 3, bytes.count)
        while index < bytes.count && bytes[index] != UInt8(ascii: "/") { index += 1 }
        return index
    }

    static func isLocalURL(_ url: String) -> Bool {
        guard let host = EndpointURL.parse(url)?.host else { return false }
        return EndpointURL.isLocalHost(host)
    }
}

private func curlWriteCallback(
    data: UnsafeMutablePointer<CChar>?, size: Int, count: Int, owner: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let owner else { return 0 }
    let handle = Unmanaged<CurlEasyHandle>.fromOpaque(owner).takeUnretainedValue()
    handle.appendBody(UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}

private func curlHeaderCallback(
    data: UnsafeMutablePointer<CChar>?, size: Int, count: Int, owner: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let owner else { return 0 }
    let handle = Unmanaged<CurlEasyHandle>.fromOpaque(owner).takeUnretainedValue()
    handle.appendHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}
