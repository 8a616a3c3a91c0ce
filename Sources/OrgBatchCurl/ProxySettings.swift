import Glibc

/// The proxies a request takes, read once from the environment as libcurl 7.88 reads them on
/// every request (`detect_proxy` and the `no_proxy` check in its `url.c`):
///
/// - https: `https_proxy`, else `HTTPS_PROXY`, else `all_proxy`, else `ALL_PROXY`;
/// - http: `http_proxy`, else `all_proxy`, else `ALL_PROXY` (never `HTTP_PROXY`: a CGI
///   program's environment gets it from a request header, `Proxy:`);
/// - hosts that go direct: `no_proxy`, else `NO_PROXY`.
///
/// An empty variable counts as unset, as in libcurl. Handing libcurl the answer saves it four
/// `getenv` scans of the whole environment per request.
public struct ProxySettings: Equatable, Sendable {
    public var https: String?
    public var http: String?
    public var noProxy: String?

    public init(https: String? = nil, http: String? = nil, noProxy: String? = nil) {
        self.https = https
        self.http = http
        self.noProxy = noProxy
    }

    /// The variables each setting is read from, the first one set and not empty winning.
    static let httpsNames = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
    static let httpNames = ["http_proxy", "all_proxy", "ALL_PROXY"]
    static let noProxyNames = ["no_proxy", "NO_PROXY"]

    public init(environment: [String: String]) {
        func first(_ names: [String]) -> String? {
            names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        }
        self.init(https: first(Self.httpsNames), http: first(Self.httpNames), noProxy: first(Self.noProxyNames))
    }

    /// This process's environment.
    public static func fromProcess() -> ProxySettings {
        var environment: [String: String] = [:]
        for name in httpsNames + httpNames + noProxyNames {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        return ProxySettings(environment: environment)
    }

    /// The proxy for a URL that is not local, by its scheme; "" for none.
    func proxy(forHTTPS: Bool) -> String { (forHTTPS ? https : http) ?? "" }
}
