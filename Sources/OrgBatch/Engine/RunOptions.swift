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
    public var maxAttempts: Int
    public var logLevel: LogLevel

    public static let defaultConcurrency = 16

    public init(
        mode: RunMode, concurrency: Int = RunOptions.defaultConcurrency, orgNames: [String] = [],
        shard: (index: Int, count: Int)? = nil, profileOverride: String? = nil, endpointURL: String? = nil,
        redact: Bool = false, timeouts: HTTPTimeouts = HTTPTimeouts(), maxAttempts: Int = 3, logLevel: LogLevel = .info
    ) {
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
