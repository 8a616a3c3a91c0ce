/// Randomness for backoff jitter, behind a protocol so tests are deterministic.
public protocol RandomSource: Sendable {
    /// A value in `0..<1`.
    func nextUnit() -> Double
}

/// The system's generator.
public struct SystemRandom: RandomSource {
    public init() {}

    public func nextUnit() -> Double { Double.random(in: 0..<1) }
}
