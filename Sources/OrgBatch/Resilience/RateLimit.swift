/// A rate and a burst, in requests per second.
public struct RateLimit: Sendable, Equatable, CustomStringConvertible {
    public var rate: Double
    public var burst: Double

    public init(rate: Double, burst: Double? = nil) {
        self.rate = rate
        self.burst = burst ?? max(rate, 1)
    }

    /// No client-side limit: for an endpoint known not to throttle, or raised quotas.
    public static let unlimited = RateLimit(rate: .infinity, burst: .infinity)

    public var isUnlimited: Bool { rate == .infinity }

    /// `10`, `10/15` (rate/burst), or `none` (no limit).
    public init?(parsing text: String) {
        if text == "none" {
            self = .unlimited
            return
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let rate = Double(parts[0]), rate > 0 else { return nil }
        var burst: Double?
        if parts.count == 2 {
            guard let value = Double(parts[1]), value >= 1 else { return nil }
            burst = value
        }
        self.init(rate: rate, burst: burst)
    }

    public var description: String { isUnlimited ? "none" : "\(rate)/s burst \(burst)" }
}

/// The client-side limits per operation: AWS's published quotas as defaults, which the
/// adaptive buckets may outgrow, and the user's configured limits, which they never exceed.
///
/// Defaults (per caller account):
/// | operation | rate/s | burst | source |
/// |---|---|---|---|
/// | Account GetAlternateContact, GetContactInformation | 10 | 15 | Account Management quotas |
/// | Account PutAlternateContact, PutContactInformation | 5 | 8 | Account Management quotas |
/// | Account DeleteAlternateContact | 1 | 6 | Account Management quotas |
/// | every Organizations operation | 10 | 10 | not published; a starting point the buckets adapt from |
/// | STS | none | | |
///
/// Organizations writes need no bucket of their own to be serialised per organization:
/// every org-level action is one task, and an organization's steps run one after another.
public struct RateLimitTable: Sendable, Equatable {
    public static let defaults: [String: RateLimit] = [
        "account:GetAlternateContact": RateLimit(rate: 10, burst: 15),
        "account:GetContactInformation": RateLimit(rate: 10, burst: 15),
        "account:PutAlternateContact": RateLimit(rate: 5, burst: 8),
        "account:PutContactInformation": RateLimit(rate: 5, burst: 8),
        "account:DeleteAlternateContact": RateLimit(rate: 1, burst: 6),
        "organizations:*": RateLimit(rate: 10, burst: 10),
    ]

    /// Configured limits by `Operation`, `service:Operation`, `service:*` or `*`.
    public var configured: [String: RateLimit] {
        didSet { index = Index(configured) }
    }
    /// `configured`, split by the form of its keys: asked on every request, so a lookup builds
    /// no key strings.
    private var index: Index

    public init(configured: [String: RateLimit] = [:]) {
        self.configured = configured
        index = Index(configured)
    }

    public static func == (lhs: RateLimitTable, rhs: RateLimitTable) -> Bool {
        lhs.configured == rhs.configured
    }

    /// The limit for an operation and whether it was configured; nil for no limit.
    public func limit(service: AWSService, operation: String) -> (limit: RateLimit, configured: Bool)? {
        if let limit = index.lookup(service: service, operation: operation) {
            return limit.isUnlimited ? nil : (limit, true)
        }
        if let limit = Self.defaultIndex.lookup(service: service, operation: operation, operationAlone: false) {
            return (limit, false)
        }
        return nil
    }

    private static let defaultIndex = Index(defaults)

    /// Limits by key form, looked up most specific first: `service:Operation`, `Operation`,
    /// `service:*`, `*`.
    private struct Index: Sendable {
        var byServiceOperation: [AWSService: [String: RateLimit]] = [:]
        var byOperation: [String: RateLimit] = [:]
        var byService: [AWSService: RateLimit] = [:]
        var any: RateLimit?

        init(_ limits: [String: RateLimit]) {
            for (key, limit) in limits {
                let parts = key.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 1 {
                    if key == "*" { any = limit } else { byOperation[key] = limit }
                } else if let service = AWSService(rawValue: String(parts[0])) {
                    if parts[1] == "*" {
                        byService[service] = limit
                    } else {
                        byServiceOperation[service, default: [:]][String(parts[1])] = limit
                    }
                }
            }
        }

        func lookup(service: AWSService, operation: String, operationAlone: Bool = true) -> RateLimit? {
            if let limit = byServiceOperation[service]?[operation] { return limit }
            if operationAlone, !byOperation.isEmpty, let limit = byOperation[operation] { return limit }
            return byService[service] ?? any
        }
    }

    /// Whether `key` names something a limit can apply to.
    public static func isValidKey(_ key: String) -> Bool {
        if key == "*" { return true }
        let parts = key.split(separator: ":", omittingEmptySubsequences: false)
        let operation = parts.last.map(String.init) ?? ""
        let okOperation = operation == "*" || (operation.first?.isUppercase == true && operation.allSatisfy(\.isLetter))
        if parts.count == 1 { return operation != "*" && okOperation }
        return parts.count == 2 && AWSService(rawValue: String(parts[0])) != nil && okOperation
    }
}
