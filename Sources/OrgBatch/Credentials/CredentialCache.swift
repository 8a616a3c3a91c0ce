import Foundation
import Synchronization

/// What a provider of temporary credentials keeps between calls: the credentials (refreshed
/// within the `RefreshWindow`) and the thing that fetches them (an STS requester, a transport
/// to a metadata endpoint), made on first use.
///
/// Locking follows botocore's `RefreshableCredentials`: one fetch at a time. In the advisory
/// window the credentials still work, so a caller that finds a fetch under way goes on with
/// them instead of waiting; in the mandatory window (or with nothing cached) everyone waits
/// for the one fetch. A fetch that fails with nothing to fall back on is remembered for
/// `failureHoldSeconds`, so a missing metadata service or a dead endpoint costs its timeouts
/// once, not once per worker and request.
final class CredentialCache<Fetcher>: @unchecked Sendable {
    // @unchecked Sendable: `fetcher` (not Sendable: it holds a transport) is touched only
    // while `fetching` is held; everything else sits in the `state` Mutex.
    private struct State {
        var cached: AWSCredentials?
        var failure: (error: AWSError, at: Date)?
    }

    static var failureHoldSeconds: Double { 30 }

    private let state = Mutex(State())
    /// Held for the whole of a fetch.
    private let fetching = NSLock()
    private var fetcher: Fetcher?
    let clock: any WallClock
    /// Whether to refresh in the advisory window at all (not when a refresh asks a person
    /// for an MFA code: once, when it must, is enough).
    let refreshesEarly: Bool
    private let makeFetcher: @Sendable () -> Fetcher

    init(clock: any WallClock, refreshesEarly: Bool = true, makeFetcher: @escaping @Sendable () -> Fetcher) {
        self.clock = clock
        self.refreshesEarly = refreshesEarly
        self.makeFetcher = makeFetcher
    }

    /// The current credentials, calling `fetch` with the fetcher when they must be renewed.
    func credentials(fetch: (Fetcher) throws(AWSError) -> AWSCredentials) throws(AWSError) -> AWSCredentials {
        let (cached, decision) = look()
        switch decision {
        case .use:
            return cached!
        case .refreshKeepingOnFailure:
            guard refreshesEarly, fetching.try() else { return cached! }  // another worker is refreshing
        case .refresh:
            fetching.lock()
        }
        defer { fetching.unlock() }
        // Another worker may have refreshed while this one waited for the lock.
        let (current, again) = look()
        switch again {
        case .use:
            return current!
        case .refreshKeepingOnFailure where !refreshesEarly:
            return current!
        case .refreshKeepingOnFailure, .refresh:
            if again == .refresh, let failure = state.withLock({ $0.failure }),
                clock.now().timeIntervalSince(failure.at) < Self.failureHoldSeconds
            {
                throw failure.error
            }
            let fetcher = self.fetcher ?? makeFetcher()
            self.fetcher = fetcher
            do {
                let fresh = try fetch(fetcher)
                state.withLock { $0 = State(cached: fresh, failure: nil) }
                return fresh
            } catch {
                if again == .refreshKeepingOnFailure { return current! }
                state.withLock { $0.failure = (error, clock.now()) }
                throw error
            }
        }
    }

    private func look() -> (AWSCredentials?, RefreshWindow.Decision) {
        let cached = state.withLock { $0.cached }
        return (cached, RefreshWindow.decide(cached, now: clock.now()))
    }

    /// Forgets the cached credentials, unless another worker already replaced the ones the
    /// caller saw expire (so a crowd of workers hitting the same expiry refreshes once).
    func invalidate(ifAccessKeyID accessKeyID: String?) {
        state.withLock { state in
            if accessKeyID == nil || state.cached?.accessKeyID == accessKeyID {
                state.cached = nil
                state.failure = nil
            }
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
        clock: any WallClock, retryPolicy: any RetryPolicy, timeouts: HTTPTimeouts, refreshesEarly: Bool = true
    ) {
        self.init(clock: clock, refreshesEarly: refreshesEarly) {
            AWSRequester(
                transport: transportFactory.makeTransport(), credentials: credentials, endpoint: endpoint,
                retryPolicy: retryPolicy, clock: clock, timeouts: timeouts)
        }
    }
}
