import Foundation
import Testing

@testable import OrgBatch

@Suite("Adaptive token bucket: pacing, discovery, CUBIC recovery, ceilings (manual time)")
struct AdaptiveTokenBucketTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func pacesByReservation() {
        var bucket = AdaptiveTokenBucket(rate: 10, burst: 10, configured: false, now: t0)
        // One token to start, then one every 0.1 s: reservations queue up in order.
        let waits = (0..<4).map { _ in bucket.reserve(now: t0).wait }
        #expect(waits.map { ($0 * 1000).rounded() / 1000 } == [0, 0.1, 0.2, 0.3])
        #expect(bucket.estimatedWait(now: t0) > 0.3)
        #expect(bucket.estimatedWait(now: t0 + 10) == 0)
    }

    @Test func burstCapsWhatAccumulates() {
        var bucket = AdaptiveTokenBucket(rate: 10, burst: 3, configured: false, now: t0)
        let later = t0 + 60
        let waits = (0..<5).map { _ in bucket.reserve(now: later).wait }
        #expect(waits.prefix(3).allSatisfy { $0 == 0 })
        #expect(waits[3] > 0)
    }

    @Test func discoversAHigherRateWhileSaturated() {
        var bucket = AdaptiveTokenBucket(rate: 5, burst: 5, configured: false, now: t0)
        var now = t0
        for _ in 0..<4 {
            // More callers than the rate serves: they wait, so the rate is the limit.
            while bucket.reserve(now: now).wait == 0 {}
            now += 1
            bucket.recordSuccess(now: now)
            now += 1  // the queue drains
        }
        #expect(abs(bucket.rate - 5 * pow(AdaptiveTokenBucket.slowStartFactor, 4)) < 0.001)
    }

    @Test func discoversAHigherRateWhenServedJustInTime() {
        // One caller at a time, each arriving as its token does: nobody waits, yet the
        // rate is what limits them.
        var bucket = AdaptiveTokenBucket(rate: 5, burst: 5, configured: false, now: t0)
        var now = t0
        for _ in 0..<6 {
            #expect(bucket.reserve(now: now).wait == 0)
            now += 1 / bucket.rate
            bucket.recordSuccess(now: now)
        }
        #expect(abs(bucket.rate - 5 * AdaptiveTokenBucket.slowStartFactor) < 0.001)
    }

    @Test func doesNotGrowWhileTokensAreToSpare() {
        // Callers at half the rate: a token is always left over.
        var bucket = AdaptiveTokenBucket(rate: 5, burst: 5, configured: false, now: t0 - 10)
        for step in 0..<20 {
            let now = t0 + Double(step) * 0.4
            #expect(bucket.reserve(now: now).wait == 0)
            bucket.recordSuccess(now: now + 0.05)
        }
        #expect(bucket.rate == 5)
    }

    @Test func theStartingTokenIsNotDemand() {
        var bucket = AdaptiveTokenBucket(rate: 5, burst: 5, configured: false, now: t0)
        #expect(bucket.reserve(now: t0).wait == 0)
        bucket.recordSuccess(now: t0 + 2)
        #expect(bucket.rate == 5)
    }

    @Test func doesNotGrowWithoutDemand() {
        var bucket = AdaptiveTokenBucket(rate: 5, burst: 5, configured: false, now: t0)
        for second in 1...10 {
            bucket.recordSuccess(now: t0 + Double(second))
        }
        #expect(bucket.rate == 5)
    }

    @Test func aThrottleCutsTheRateOnceAndStartsANewGeneration() {
        var bucket = AdaptiveTokenBucket(rate: 10, burst: 10, configured: false, now: t0)
        let (_, generation) = bucket.reserve(now: t0)
        bucket.recordThrottle(now: t0 + 0.1)
        #expect(abs(bucket.rate - 7) < 0.0001)
        #expect(bucket.wMax == 10)
        #expect(!bucket.isCurrent(generation))
        // A burst of throttles from the same overshoot counts once.
        bucket.recordThrottle(now: t0 + 0.5)
        #expect(abs(bucket.rate - 7) < 0.0001)
        bucket.recordThrottle(now: t0 + 1.2)
        #expect(abs(bucket.rate - 4.9) < 0.0001)
    }

    @Test func recoversAlongTheCubicToJustUnderTheOldLimit() {
        var bucket = AdaptiveTokenBucket(rate: 10, burst: 10, configured: false, now: t0)
        bucket.recordThrottle(now: t0)
        let target = 10 * AdaptiveTokenBucket.margin
        let k = cbrt(target * (1 - AdaptiveTokenBucket.beta) / AdaptiveTokenBucket.scale)
        var rates: [Double] = []
        for step in 1...8 {
            bucket.recordSuccess(now: t0 + k * Double(step) / 8)
            rates.append(bucket.rate)
        }
        #expect(rates == rates.sorted())  // climbing
        #expect(abs(rates.last! - target) < 0.01)  // back at 95 % of the old limit after K
        // Without waiting callers, it does not probe beyond.
        bucket.recordSuccess(now: t0 + k + 30)
        #expect(abs(bucket.rate - target) < 0.01)
    }

    @Test func throttlingUsesTheMeasuredRateWhenLower() {
        var bucket = AdaptiveTokenBucket(rate: 50, burst: 50, configured: false, now: t0)
        // 4 successes a second for two seconds.
        for index in 1...8 { bucket.recordSuccess(now: t0 + Double(index) * 0.25) }
        bucket.recordThrottle(now: t0 + 2.1)
        #expect(bucket.wMax! < 5)
        #expect(bucket.rate < 3.5)
    }

    @Test func aConfiguredRateIsACeiling() {
        var bucket = AdaptiveTokenBucket(rate: 10, burst: 10, configured: true, now: t0)
        #expect(bucket.rate == 10 * AdaptiveTokenBucket.configuredMargin)
        var now = t0
        for _ in 0..<10 {
            _ = bucket.reserve(now: now)
            _ = bucket.reserve(now: now)
            now += 1
            bucket.recordSuccess(now: now)
        }
        #expect(bucket.rate == 10 * AdaptiveTokenBucket.configuredMargin)
        bucket.recordThrottle(now: now)
        #expect(bucket.rate < 9.8)
    }

    @Test func neverBelowTheMinimum() {
        var bucket = AdaptiveTokenBucket(rate: 1, burst: 1, configured: false, now: t0)
        for second in 0..<20 { bucket.recordThrottle(now: t0 + Double(second) * 2) }
        #expect(bucket.rate == AdaptiveTokenBucket.minimumRate)
    }
}
