/// A service endpoint's base URL: `scheme://host[:port][/base/path]`.
///
/// Parsing is strict on purpose: only `https`, or `http` to a loopback address (127.0.0.0/8,
/// `localhost`, `::1`), so credentials and signed requests never cross a network in clear text.
public struct EndpointURL: Sendable, Hashable, CustomStringConvertible {
    public let scheme: String
    /// The host without brackets (`::1`, not `[::1]`).
    public let host: String
    public let port: Int?
    /// A path prefix without a trailing slash ("" for none).
    public let basePath: String
    /// The `Host` header: the host, with the port when it is not the scheme's default.
    public let hostHeader: String
    /// `scheme://host[:port][/base/path]`: every request's URL starts with it. Kept, with the
    /// `Host` header, so that a request does not build them again.
    private let prefix: String

    public init(scheme: String, host: String, port: Int? = nil, basePath: String = "") {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.basePath = basePath
        let bracketed = host.utf8.contains(UInt8(ascii: ":")) ? "[\(host)]" : host
        if let port, port != (scheme == "https" ? 443 : 80) {
            hostHeader = "\(bracketed):\(port)"
        } else {
            hostHeader = bracketed
        }
        prefix = scheme + "://" + hostHeader + basePath
    }

    /// Parses and checks an endpoint URL.
    /// - Throws: `ConfigError` `.invalidEndpoint` for anything that is not a usable URL, and
    ///   `.insecureEndpoint` for `http://` to a host that is not loopback.
    public init(validating text: String) throws(ConfigError) {
        guard let parsed = Self.parse(text) else {
            throw ConfigError(
                .invalidEndpoint, "endpoint URL '\(text)' is not of the form https://host[:port][/path]")
        }
        guard parsed.scheme == "https" || (parsed.scheme == "http" && Self.isLoopbackHost(parsed.host)) else {
            throw ConfigError(
                .insecureEndpoint,
                "endpoint URL '\(text)' uses plain http to a host that is not loopback; use https "
                    + "(http is allowed only for 127.0.0.0/8, localhost and ::1)")
        }
        self = parsed
    }

    /// Splits a URL without judging it; nil when it has no scheme or no host.
    public static func parse(_ text: String) -> EndpointURL? {
        guard let schemeEnd = text.range(of: "://") else { return nil }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var rest = text[schemeEnd.upperBound...]
        if let cut = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<cut] }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        while path.hasSuffix("/") { path.removeLast() }
        guard !authority.contains("@") else { return nil }  // no user info in endpoints

        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { return nil }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { return nil }
        var port: Int?
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else { return nil }
            port = value
        }
        return EndpointURL(scheme: scheme, host: host.lowercased(), port: port, basePath: path)
    }

    /// 127.0.0.0/8, `localhost` and `::1`.
    public static func isLoopbackHost(_ host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { octet in
            octet.count <= 3 && octet.allSatisfy(\.isASCII) && UInt8(octet) != nil
        }
    }

    /// The URL of `path` (which starts with `/`) on this endpoint.
    public func url(path: String) -> String {
        prefix + path
    }

    public var description: String { prefix }
}
