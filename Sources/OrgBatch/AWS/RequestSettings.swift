/// What a requester's attempts need besides its transport and retry policy: where they go, how
/// they are signed, paced and timed. One organization's task requests to one service all share
/// these, so they are made once per organization and service (`OrgContext.Route`) and a
/// task's requester is one allocation and three references, not a dozen fields copied.
public final class RequestSettings: Sendable {
    public let endpoint: ServiceEndpoint
    let credentials: any CredentialProvider
    let clock: any WallClock
    let timeouts: HTTPTimeouts
    let userAgent: String
    /// Client-side pacing, and the account whose buckets the requests draw from.
    let rateLimiter: RateLimiter?
    let rateScope: String?
    let retryBudget: RetryBudget?
    /// Asked before each retry: true stops retrying (the run was interrupted).
    let shouldStop: (@Sendable () -> Bool)?
    /// The signing keys, when they are kept.
    let signingKeys: SigningKeyCache?

    /// What every request of a run shares, whatever its organization and service.
    public struct RunWide: Sendable {
        let clock: any WallClock
        let timeouts: HTTPTimeouts
        let userAgent: String
        let rateLimiter: RateLimiter?
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
        endpoint: ServiceEndpoint, credentials: any CredentialProvider, clock: any WallClock, timeouts: HTTPTimeouts,
        userAgent: String, rateLimiter: RateLimiter?, rateScope: String?, retryBudget: RetryBudget?,
        shouldStop: (@Sendable () -> Bool)?, signingKeys: SigningKeyCache?
    ) {
        self.endpoint = endpoint
        self.credentials = credentials
        self.clock = clock
        self.timeouts = timeouts
        self.userAgent = userAgent
        self.rateLimiter = rateLimiter
        self.rateScope = rateScope
        self.retryBudget = retryBudget
        self.shouldStop = shouldStop
        self.signingKeys = signingKeys
    }

    /// A task's settings: paced by the run's limiter in the caller's buckets.
    convenience init(
        _ run: RunWide, endpoint: ServiceEndpoint, credentials: any CredentialProvider, rateScope: String,
        retryBudget: RetryBudget?, signingKeys: SigningKeyCache
    ) {
        self.init(
            endpoint: endpoint, credentials: credentials, clock: run.clock, timeouts: run.timeouts,
            userAgent: run.userAgent, rateLimiter: run.rateLimiter, rateScope: rateScope, retryBudget: retryBudget,
            shouldStop: run.shouldStop, signingKeys: signingKeys)
    }
}
