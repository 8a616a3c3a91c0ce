import Synchronization

/// `run --max-changes N` during the run itself: at most N writes, however the state moved
/// since the plan that checked the budget. A write beyond it is not sent; its task is
/// reported `skipped`.
public final class ChangeBudget: Sendable {
    private let remaining: Mutex<Int>
    public let limit: Int

    public init(limit: Int) {
        self.limit = limit
        remaining = Mutex(limit)
    }

    /// Takes one change; false when none is left.
    public func take() -> Bool {
        remaining.withLock { remaining in
            guard remaining > 0 else { return false }
            remaining -= 1
            return true
        }
    }
}
