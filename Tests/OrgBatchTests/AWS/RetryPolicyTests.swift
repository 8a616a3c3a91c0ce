import Testing

@testable import OrgBatch

@Suite("Standard retry policy: capped exponential backoff with full jitter")
struct RetryPolicyTests {
    func error(_ classification: AWSError.Classification) -> AWSError {
        AWSError(origin: .service, service: .account, operation: "PutAlternateContact", code: "X", message: "", classification: classification)
    }

    @Test("waits", arguments: [
        (AWSError.Classification.throttle, 1, 0.5),
        (.throttle, 2, 1.0),
        (.throttle, 3, 2.0),
        (.throttle, 7, 10.0),  // 0.5 x min(20, 64)
        (.transient, 1, 0.05),
        (.transient, 4, 0.4),
    ])
    func waits(classification: AWSError.Classification, attempt: Int, expected: Double) {
        let policy = StandardRetryPolicy(maxAttempts: 10, random: FixedRandom(value: 0.5))
        #expect(policy.decide(after: error(classification), attempt: attempt) == .retry(afterSeconds: expected))
    }

    @Test func stopsAtMaxAttempts() {
        let policy = StandardRetryPolicy(maxAttempts: 3, random: FixedRandom(value: 0.5))
        #expect(policy.decide(after: error(.throttle), attempt: 2) != .doNotRetry)
        #expect(policy.decide(after: error(.throttle), attempt: 3) == .doNotRetry)
    }

    @Test func neverRetriesTerminalOrNoOp() {
        let policy = StandardRetryPolicy(maxAttempts: 10)
        #expect(policy.decide(after: error(.terminal), attempt: 1) == .doNotRetry)
        #expect(policy.decide(after: error(.noOp), attempt: 1) == .doNotRetry)
    }

    @Test func capIsTwentySeconds() {
        let policy = StandardRetryPolicy(maxAttempts: 100, random: FixedRandom(value: 0.999))
        guard case .retry(let wait) = policy.decide(after: error(.throttle), attempt: 60) else {
            Issue.record("expected a retry")
            return
        }
        #expect(wait <= 20)
    }
}
