/// A job file, loaded and checked: the organizations, the default targets and the actions,
/// in file order.
public struct Job: Sendable {
    /// The file it came from, for messages.
    public var path: String
    public var orgs: [JobOrg]
    public var targets: TargetSpec
    public var actions: [JobAction]
    /// Client-side limits by `Operation`, `service:Operation` or `service:*`.
    public var rateLimits: [String: RateLimit] = [:]

    public func org(named name: String) -> JobOrg? { orgs.first { $0.name == name } }
}

/// One organization of a job: its name, the profile that reaches it, and its own values.
public struct JobOrg: Sendable, Equatable {
    public var name: String
    /// The shared-config profile that reaches the management account (or the delegated
    /// administrator for the service).
    public var profile: String
    /// Per-org values, used in actions as `${name}`.
    public var vars: [String: String]
    public var line: Int
}
