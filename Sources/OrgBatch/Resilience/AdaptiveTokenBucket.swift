import Foundation

/// A client-side token bucket whose rate adapts to what the server allows. Pure: time comes
/// in as arguments, so tests drive it with a manual clock.
///
/// - **Pacing.** `reserve` takes a token, going into debt when none is left; the debt says
///   how long the caller must wait (`-tokens / rate`), so concurrent callers queue in order
///   without polling. Each reservation carries the bucket's `generation`; a throttle starts a
///   new generation and clears the debt, and a caller whose reservation is from an old
///   generation reserves again (`isCurrent`) instead of sending at the old, too-high pace.
/// - **Discovering** (no throttle seen yet, rate not configured): while callers use up the
///   tokens as fast as they come, the rate grows by `slowStartFactor` each second (as TCP
///   slow start), so defaults that are too low are outgrown in seconds.
/// - **On a throttle** (at most once per `decreaseHoldSeconds`, as a burst of throttles
///   reports one overshoot): `wMax` becomes the lower of the current rate and the measured
///   success rate, and the rate drops to `beta × wMax`.
/// - **Recovering** (CUBIC, as the AWS SDKs' adaptive mode and RFC 8312), towards
///   `W = margin × wMax`: `rate(t) = W − C·(K − t)³` for `t < K`, with `K = ∛(W·(1−β)/C)`;
///   beyond `K` the rate probes upwards slowly, `W·(1 + probeSlope·(t − K))`, while callers
///   are waiting for tokens.
/// - **Configured** rates are known limits: the bucket paces at `configuredMargin ×` the
///   rate and never goes above it.
///
/// | constant | value | from |
/// |---|---|---|
/// | beta | 0.7 | botocore `CubicCalculator._BETA` |
/// | C | 0.4 | botocore `CubicCalculator._SCALE_CONSTANT` |
/// | minimumRate | 0.5 /s | botocore `TokenBucket._MIN_RATE` |
/// | measurement | 0.5 s windows, smoothing 0.8 | botocore `RateClocker` |
/// | slowStartFactor | 1.5 per second | chosen: 5/s to 10/s in about 2 s |
/// | margin | 0.95 | chosen, see below |
/// | probeSlope | 5 % of W per second | chosen, see below |
/// | configuredMargin | 0.98 | chosen: 2 % under a configured limit, no throttles |
///
/// The chosen values come from a simulation of 3,000 calls at 32 workers and 50 ms latency
/// against a server allowing 10 requests/s (burst 10): starting from 5/s the run took 0.4 %
/// over the ideal with 2.0 % of calls throttled (300 calls at 4 workers: 1.1 % under, 3.2 %
/// throttled); with the limit configured, 1.7 % over the ideal and no throttle (botocore's
/// constants alone, margin 1 and no hold: 17 % throttled).
public struct AdaptiveTokenBucket: Sendable, Equatable {
    public static let beta = 0.7
    public static let scale = 0.4
    public static let minimumRate = 0.5
    public static let slowStartFactor = 1.5
    public static let margin = 0.95
    public static let probeSlope = 0.05
    public static let configuredMargin = 0.98
    public static let decreaseHoldSeconds = 1.0
    static let measurementWindow = 0.5
    static let smoothing = 0.8

    public private(set) var rate: Double
    public private(set) var burst: Double
    /// The rate never goes above this (a configured limit).
    public let ceiling: Double?
    public private(set) var tokens: Double
    /// Changes on every throttle; reservations from an earlier generation are stale.
    public private(set) var generation = 0
    /// The rate last found too high, once a throttle has been seen.
    public private(set) var wMax: Double?
    /// Successes per second, smoothed.
    public private(set) var measuredRate: Double?
    private var lastRefill: Date
    private var lastThrottle: Date?
    private var lastIncrease: Date
    private var windowStart: Date
    private var windowSuccesses = 0
    /// A token has been taken before.
    private var reserved = false
    /// A caller found the bucket without a spare token since the last increase: the rate, not
    /// demand, is the limit.
    private var saturated = false

    public init(rate: Double, burst: Double, configured: Bool, now: Date) {
        let pace = max(configured ? rate * Self.configuredMargin : rate, Self.minimumRate)
        self.rate = pace
        self.burst = max(burst, 1)
        ceiling = configured ? pace : nil
        // One token to start: a server whose burst is smaller than ours must not meet a full
        // burst first; the bucket fills at its rate from there.
        tokens = 1
        lastRefill = now
        lastIncrease = now
        windowStart = now
    }

    /// Takes a token. - Returns: how long to wait before sending (0 when one was there), and
    /// the generation the reservation belongs to.
    public mutating func reserve(now: Date) -> (wait: Double, generation: Int) {
        refill(now)
        tokens -= 1
        // Demand has caught up with the rate once no whole token is left for the next
        // caller, whether or not this one waits: a scheduler that hands an org work just as
        // its token arrives keeps it at the rate without any caller ever waiting. (Not the
        // first caller: the bucket starts with a single token.)
        if tokens < 1 && reserved { saturated = true }
        reserved = true
        guard tokens < 0 else { return (0, generation) }
        return (-tokens / rate, generation)
    }

    /// Whether a reservation of `generation` still stands (no throttle since).
    public func isCurrent(_ generation: Int) -> Bool { generation == self.generation }

    /// How long a caller asking now would wait, without taking anything.
    public func estimatedWait(now: Date) -> Double {
        let available = min(burst, tokens + max(0, now.timeIntervalSince(lastRefill)) * rate)
        return available >= 1 ? 0 : (1 - available) / rate
    }

    /// The server said "too fast".
    public mutating func recordThrottle(now: Date) {
        refill(now)
        if let last = lastThrottle, now.timeIntervalSince(last) < Self.decreaseHoldSeconds { return }
        let base = measuredRate.map { min(rate, $0) } ?? rate
        wMax = base
        lastThrottle = now
        setRate(base * Self.beta)
        tokens = 0
        generation += 1
        lastIncrease = now
    }

    /// The server answered without throttling.
    public mutating func recordSuccess(now: Date) {
        refill(now)
        measure(now)
        if let wMax, let lastThrottle {
            let target = wMax * Self.margin
            let elapsed = now.timeIntervalSince(lastThrottle)
            let k = cbrt(target * (1 - Self.beta) / Self.scale)
            let next = elapsed < k
                ? target - Self.scale * pow(k - elapsed, 3)
                : (saturated ? target * (1 + Self.probeSlope * (elapsed - k)) : rate)
            if next > rate { setRate(next) }
        } else if saturated, now.timeIntervalSince(lastIncrease) >= 1 {
            setRate(rate * Self.slowStartFactor)
            lastIncrease = now
            saturated = false
        }
    }

    private mutating func measure(_ now: Date) {
        windowSuccesses += 1
        let elapsed = now.timeIntervalSince(windowStart)
        guard elapsed >= Self.measurementWindow else { return }
        let current = Double(windowSuccesses) / elapsed
        measuredRate = measuredRate.map { Self.smoothing * current + (1 - Self.smoothing) * $0 } ?? current
        windowStart = now
        windowSuccesses = 0
    }

    private mutating func setRate(_ newRate: Double) {
        rate = max(Self.minimumRate, min(newRate, ceiling ?? .infinity))
    }

    private mutating func refill(_ now: Date) {
        let elapsed = now.timeIntervalSince(lastRefill)
        guard elapsed > 0 else { return }
        tokens = min(burst, tokens + elapsed * rate)
        lastRefill = now
    }
}
