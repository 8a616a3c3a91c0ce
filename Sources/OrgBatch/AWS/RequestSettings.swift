/// What a requester's attempts need besides its transport and retry policy: where they go, how
/// they are signed, paced and timed. One organization's task requests to one service all share
/// these, so they are made once per organization and service (`OrgContext.Route`) and a
/// task's requester is one allocation and three references, not a dozen fields copied.
public final class RequestSettings: Sendable {
    public let endpoint: ServiceEndpoint
    let credentials: any CredentialProvider
    /// The account whose rate buckets the requests draw from (nil: not paced).
    let rateScope: String?
    let retryBudget: RetryBudget?
    /// The signing keys, when they are kept.
    let signingKeys: SigningKeyCache?
    let run: RunWide

    /// What every request of a run shares, whatever its organization and service.
    public struct RunWide: Sendable {
        let clock: any WallClock
        let timeouts: HTTPTimeouts
        let userAgent: String
        /// Client-side pacing (for requests with a rate scope).
        let rateLimiter: RateLimiter?
        /// Asked before each retry: true stops retrying (the run was interrupted).
        let shouldStop: (@Sendable () -> Bool)?

        public init(
            clock: any WallClock, timeouts: HTTPTimeouts, userAgent: String = OrgBatchVersion.userAgent,
            rateLimiter: RateLimiter?, shouldStop: (@Sendable () -> Bool)?
        ) {
            self.clock = clock
            self.timeouts = timeouts
            self.userAgent = userAgent
            self.rateLimiter = rateLimiter
            self.shouldStop = shouldStop
        }
    }

    public init(
        _ run: RunWide, endpoint: ServiceEndpoint, credentials: any CredentialProvider, rateScope: String?,
        retryBudget: RetryBudget?, signingKeys: SigningKeyCache?
    ) {
        self.run = run
        self.endpoint = endpoint
        self.credentials = credentials
        self.rateScope = rateScope
        self.retryBudget = retryBudget
        self.signingKeys = signingKeys
    }
}
