import Synchronization

/// What a provider of temporary credentials from STS keeps between calls: the credentials
/// (refreshed within the `RefreshWindow`) and the requester that fetches them, made on first
/// use with a transport of its own. One fetch at a time, however many workers ask.
final class STSCredentialCache: Sendable {
    private struct State {
        var cached: AWSCredentials?
        /// Only ever touched under the lock.
        var requester: AWSRequester?
    }

    private let state = Mutex(State())
    let clock: any WallClock
    /// Makes the STS requester, signed with `credentials` (or `NoCredentials` for unsigned calls).
    private let makeRequester: @Sendable () -> AWSRequester

    init(
        credentials: any CredentialProvider, stsEndpoint: ServiceEndpoint, transportFactory: any TransportFactory,
        clock: any WallClock, retryPolicy: any RetryPolicy, timeouts: HTTPTimeouts
    ) {
        self.clock = clock
        makeRequester = {
            AWSRequester(
                transport: transportFactory.makeTransport(), credentials: credentials, endpoint: stsEndpoint,
                retryPolicy: retryPolicy, clock: clock, timeouts: timeouts)
        }
    }

    /// The current credentials, calling `fetch` with the requester when they must be renewed.
    func credentials(fetch: (AWSRequester) throws(AWSError) -> AWSCredentials) throws(AWSError) -> AWSCredentials {
        try state.withLock { (state: inout State) throws(AWSError) -> AWSCredentials in
            let requester = state.requester ?? makeRequester()
            state.requester = requester
            var cached = state.cached
            defer { state.cached = cached }
            return try RefreshWindow.current(&cached, now: clock.now()) { () throws(AWSError) in try fetch(requester) }
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
