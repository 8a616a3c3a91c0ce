import Synchronization

/// Retries an endpoint may still spend, so an outage ends a run's attempts quickly instead
/// of every worker hammering a dead endpoint (the AWS SDKs' retry quota).
///
/// A retry costs `transientCost` (or `timeoutCost` after a timeout or lost connection, or
/// `throttleCost` after a throttle, which the rate limiter already answers); a success gives
/// back `successRefund`. Capacity and costs follow botocore's `RetryQuota` (500, 5, 10, 1);
/// throttles cost 1 rather than 5 because the adaptive buckets, not the budget, deal with them.
public final class RetryBudget: Sendable {
    public static let capacity = 500
    public static let transientCost = 5
    public static let timeoutCost = 10
    public static let throttleCost = 1
    public static let successRefund = 1

    private let available = Mutex(RetryBudget.capacity)

    public init() {}

    /// Takes the cost of retrying after `error`; false when the budget cannot pay.
    public func spend(after error: AWSError) -> Bool {
        let cost = Self.cost(of: error)
        return available.withLock { available in
            guard available >= cost else { return false }
            available -= cost
            return true
        }
    }

    public func refund() {
        available.withLock { $0 = min(Self.capacity, $0 + Self.successRefund) }
    }

    public var remaining: Int { available.withLock { $0 } }

    static func cost(of error: AWSError) -> Int {
        if error.classification == .throttle { return throttleCost }
        if error.origin == .transport { return timeoutCost }
        return transientCost
    }
}

/// One `RetryBudget` per endpoint, shared by the run.
public final class RetryBudgets: Sendable {
    private let budgets = Mutex<[EndpointURL: RetryBudget]>([:])

    public init() {}

    public func budget(for endpoint: ServiceEndpoint) -> RetryBudget {
        budgets.withLock { budgets in
            if let budget = budgets[endpoint.url] { return budget }
            let budget = RetryBudget()
            budgets[endpoint.url] = budget
            return budget
        }
    }
}
