/// How to run a job: what the command line says, as plain values.
public struct RunOptions: Sendable {
    public var mode: RunMode
    /// Worker threads, each with its own HTTP connection.
    public var concurrency: Int
    /// Only these organizations (by name); empty for all.
    public var orgNames: [String]
    /// `(k, n)`: this is shard k (1-based) of n.
    public var shard: (index: Int, count: Int)?
    /// A profile to use instead of the job's (with a single organization).
    public var profileOverride: String?
    public var endpointURL: String?
    public var redact: Bool
    /// Per-request time limits.
    public var timeouts: HTTPTimeouts
    /// Attempts per request; nil: the profile's `max_attempts`, else `defaultMaxAttempts`.
    public var maxAttempts: Int?
    public var logLevel: LogLevel
    /// Client-side rate limits configured by the job file and flags.
    public var rateLimits: RateLimitTable
    /// After an interrupt, how long requests under way may take before they are abandoned.
    public var graceSeconds: Double
    /// Identities of tasks a previous report shows finished (`--resume`).
    public var finishedBefore: Set<String>
    /// `run --max-changes`: writes allowed in this run.
    public var maxChanges: Int?
    /// `run --write-only`: write alternate contacts without reading them first (half the
    /// requests for a first rollout; the report says `written`).
    public var writeOnly: Bool = false

    public static let defaultConcurrency = 16
    /// Batch work outlasts passing faults and throttles that an interactive call would give up on.
    public static let defaultMaxAttempts = 8
    public static let defaultGraceSeconds = 10.0

    public init(
        mode: RunMode, concurrency: Int = RunOptions.defaultConcurrency, orgNames: [String] = [],
        shard: (index: Int, count: Int)? = nil, profileOverride: String? = nil, endpointURL: String? = nil,
        redact: Bool = false, timeouts: HTTPTimeouts = HTTPTimeouts(), maxAttempts: Int? = nil, logLevel: LogLevel = .info,
        rateLimits: RateLimitTable = RateLimitTable(), graceSeconds: Double = RunOptions.defaultGraceSeconds,
        finishedBefore: Set<String> = [], maxChanges: Int? = nil
    ) {
        self.maxChanges = maxChanges
        self.rateLimits = rateLimits
        self.graceSeconds = graceSeconds
        self.finishedBefore = finishedBefore
        self.mode = mode
        self.concurrency = concurrency
        self.orgNames = orgNames
        self.shard = shard
        self.profileOverride = profileOverride
        self.endpointURL = endpointURL
        self.redact = redact
        self.timeouts = timeouts
        self.maxAttempts = maxAttempts
        self.logLevel = logLevel
    }
}
