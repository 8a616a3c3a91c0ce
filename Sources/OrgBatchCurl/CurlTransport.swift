import OrgBatch

/// `Transport` over libcurl: one easy handle, so one kept-alive connection per endpoint.
///
/// Owned by one worker thread; see `CurlEasyHandle` for why it is not `Sendable`.
public final class CurlTransport: Transport {
    private let easy: CurlEasyHandle

    /// - Parameter proxies: the proxies from the environment (default: this process's).
    public init(proxies: ProxySettings = .fromProcess()) {
        easy = CurlEasyHandle(proxies: proxies)
    }

    public func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        try easy.perform(request)
    }

    /// New connections opened so far (1 while keep-alive holds).
    public var connectionsOpened: Int { easy.connectionsOpened }

    /// Bytes of receive buffer the handle keeps between requests, for tests.
    var retainedBodyBytes: Int { easy.retainedBodyBytes }
}

/// Makes a fresh `CurlTransport` for each worker.
public struct CurlTransportFactory: TransportFactory {
    private let proxies: ProxySettings

    /// - Parameter proxies: the proxies from the environment, read once for every worker.
    public init(proxies: ProxySettings = .fromProcess()) {
        self.proxies = proxies
    }

    public func makeTransport() -> any Transport { CurlTransport(proxies: proxies) }
}
