import Synchronization

/// What a provider of temporary credentials keeps between calls: the credentials (refreshed
/// within the `RefreshWindow`) and the thing that fetches them (an STS requester, a transport
/// to a metadata endpoint), made on first use. One fetch at a time, however many workers ask:
/// the others wait for its result.
final class CredentialCache<Fetcher>: Sendable {
    private struct State {
        var cached: AWSCredentials?
        /// Made on first use; only ever touched under the lock.
        var fetcher: Fetcher?
    }

    private let state = Mutex(State())
    let clock: any WallClock
    private let makeFetcher: @Sendable () -> Fetcher

    init(clock: any WallClock, makeFetcher: @escaping @Sendable () -> Fetcher) {
        self.clock = clock
        self.makeFetcher = makeFetcher
    }

    /// The current credentials, calling `fetch` with the fetcher when they must be renewed.
    func credentials(fetch: (Fetcher) throws(AWSError) -> AWSCredentials) throws(AWSError) -> AWSCredentials {
        try state.withLock { (state: inout State) throws(AWSError) -> AWSCredentials in
            let fetcher = state.fetcher ?? makeFetcher()
            state.fetcher = fetcher
            var cached = state.cached
            defer { state.cached = cached }
            return try RefreshWindow.current(&cached, now: clock.now()) { () throws(AWSError) in try fetch(fetcher) }
        }
    }

    /// Forgets the cached credentials, unless another worker already replaced the ones the
    /// caller saw expire (so a crowd of workers hitting the same expiry refreshes once).
    func invalidate(ifAccessKeyID accessKeyID: String?) {
        state.withLock { state in
            if accessKeyID == nil || state.cached?.accessKeyID == accessKeyID { state.cached = nil }
        }
    }
}

extension CredentialCache where Fetcher == Void {
    convenience init(clock: any WallClock) {
        self.init(clock: clock, makeFetcher: {})
    }
}

extension CredentialCache where Fetcher == AWSRequester {
    /// A cache whose fetches call STS (or another AWS service) with `credentials` (or
    /// `NoCredentials` for unsigned calls), through a transport of its own.
    convenience init(
        credentials: any CredentialProvider, endpoint: ServiceEndpoint, transportFactory: any TransportFactory,
        clock: any WallClock, retryPolicy: any RetryPolicy, timeouts: HTTPTimeouts
    ) {
        self.init(clock: clock) {
            AWSRequester(
                transport: transportFactory.makeTransport(), credentials: credentials, endpoint: endpoint,
                retryPolicy: retryPolicy, clock: clock, timeouts: timeouts)
        }
    }
}
