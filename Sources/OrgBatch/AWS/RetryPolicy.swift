/// What to do after a failed attempt.
public enum RetryDecision: Sendable, Equatable {
    case retry(afterSeconds: Double)
    case doNotRetry
}

/// Decides whether a failed attempt is tried again, and when. Pure: time and chance come in
/// through the policy's `RandomSource`, so tests pin every decision.
public protocol RetryPolicy: Sendable {
    /// - Parameters:
    ///   - error: what the attempt ended with.
    ///   - attempt: the number of the attempt that failed, from 1.
    func decide(after error: AWSError, attempt: Int) -> RetryDecision
}

/// The AWS SDKs' standard mode: retry throttles and transient faults with capped exponential
/// backoff and full jitter, `wait = random(0..<1) × min(cap, base × 2^(attempt-1))`. When the
/// service says how long to wait (`x-amz-retry-after`, `Retry-After`), the wait is at least
/// that, and never more than the cap.
///
/// | setting | default | why |
/// |---|---|---|
/// | maxAttempts | 3 | the SDKs' standard mode |
/// | throttleBase | 1 s | throttles need the server's window to pass |
/// | transientBase | 0.1 s | a lost connection is usually back at once |
/// | cap | 20 s | the SDKs' maximum backoff |
public struct StandardRetryPolicy: RetryPolicy {
    public var maxAttempts: Int
    public var throttleBase: Double
    public var transientBase: Double
    public var cap: Double
    public var random: any RandomSource

    public init(
        maxAttempts: Int = 3, throttleBase: Double = 1, transientBase: Double = 0.1, cap: Double = 20,
        random: any RandomSource = SystemRandom()
    ) {
        self.maxAttempts = maxAttempts
        self.throttleBase = throttleBase
        self.transientBase = transientBase
        self.cap = cap
        self.random = random
    }

    public func decide(after error: AWSError, attempt: Int) -> RetryDecision {
        guard attempt < maxAttempts else { return .doNotRetry }
        let base: Double
        switch error.classification {
        case .throttle: base = throttleBase
        case .transient: base = transientBase
        case .noOp, .terminal: return .doNotRetry
        }
        let ceiling = min(cap, base * Double(1 << min(attempt - 1, 30)))
        let backoff = random.nextUnit() * ceiling
        guard let asked = error.retryAfterSeconds else { return .retry(afterSeconds: backoff) }
        return .retry(afterSeconds: min(cap, max(backoff, asked)))
    }
}
