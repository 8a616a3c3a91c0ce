import Foundation
import Synchronization

/// Which bucket a request draws from: AWS throttles per caller account and operation.
public struct RateKey: Hashable, Sendable, CustomStringConvertible {
    public var account: String
    public var service: AWSService
    public var operation: String

    public init(account: String, service: AWSService, operation: String) {
        self.account = account
        self.service = service
        self.operation = operation
    }

    public var description: String { "\(account) \(service.rawValue):\(operation)" }
}

/// The run's adaptive token buckets, one per `RateKey`, shared by every worker.
public final class RateLimiter: Sendable {
    private let buckets = Mutex<[RateKey: AdaptiveTokenBucket]>([:])
    public let table: RateLimitTable
    let clock: any WallClock

    public init(table: RateLimitTable = RateLimitTable(), clock: any WallClock = SystemClock()) {
        self.table = table
        self.clock = clock
    }

    /// Whether `key` has a bucket: when it does, `acquire` paces every attempt for it, retries
    /// after a throttle included.
    public func governs(_ key: RateKey) -> Bool {
        table.limit(service: key.service, operation: key.operation) != nil
    }

    /// Waits (sleeping the calling worker) until `key` may send. Reserves again when a
    /// throttle starts a new generation while waiting.
    public func acquire(_ key: RateKey) {
        guard governs(key) else { return }
        while true {
            let now = clock.now()
            let (wait, generation) = buckets.withLock { buckets in
                var bucket = bucket(key, in: &buckets, now: now)
                defer { buckets[key] = bucket }
                return bucket.reserve(now: now)
            }
            guard wait > 0 else { return }
            clock.sleep(seconds: wait)
            if buckets.withLock({ $0[key]?.isCurrent(generation) ?? true }) { return }
        }
    }

    /// A throttle slows every bucket of the same account and service, not only the
    /// operation's: AWS often limits an account's calls to a service as a whole (Organizations
    /// per organization), and a sibling operation left at full speed would keep drawing the
    /// throttles.
    public func recordThrottle(_ key: RateKey) {
        guard governs(key) else { return }
        let now = clock.now()
        buckets.withLock { buckets in
            var bucket = bucket(key, in: &buckets, now: now)
            bucket.recordThrottle(now: now)
            buckets[key] = bucket
            for (other, var sibling) in buckets where other != key && other.account == key.account && other.service == key.service {
                sibling.recordThrottle(now: now)
                buckets[other] = sibling
            }
        }
    }

    public func recordSuccess(_ key: RateKey) {
        update(key) { $0.recordSuccess(now: $1) }
    }

    /// How long a request for `key` would wait now (0 when it could go at once).
    public func estimatedWait(_ key: RateKey) -> Double {
        guard governs(key) else { return 0 }
        let now = clock.now()
        return buckets.withLock { $0[key]?.estimatedWait(now: now) ?? 0 }
    }

    /// The bucket's current state, for tests and logs.
    public func bucket(_ key: RateKey) -> AdaptiveTokenBucket? {
        buckets.withLock { $0[key] }
    }

    private func update(_ key: RateKey, _ change: (inout AdaptiveTokenBucket, Date) -> Void) {
        guard governs(key) else { return }
        let now = clock.now()
        buckets.withLock { buckets in
            var bucket = bucket(key, in: &buckets, now: now)
            change(&bucket, now)
            buckets[key] = bucket
        }
    }

    private func bucket(_ key: RateKey, in buckets: inout [RateKey: AdaptiveTokenBucket], now: Date) -> AdaptiveTokenBucket {
        if let existing = buckets[key] { return existing }
        let (limit, configured) = table.limit(service: key.service, operation: key.operation)!
        return AdaptiveTokenBucket(rate: limit.rate, burst: limit.burst, configured: configured, now: now)
    }
}
