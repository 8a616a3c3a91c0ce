import Foundation

/// The time of day and the passing of time, behind a protocol so tests run on a manual clock
/// and never sleep.
public protocol WallClock: Sendable {
    func now() -> Date
    /// Blocks the calling thread (a worker) for `seconds`.
    func sleep(seconds: Double)
}

/// The real clock.
public struct SystemClock: WallClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        Thread.sleep(forTimeInterval: seconds)
    }
}
