import Foundation
import Testing

@testable import OrgBatch

@Suite("Rate limiter: defaults, configured limits, shared throttles, waiting on a manual clock")
struct RateLimiterTests {
    @Test func defaultsComeFromThePublishedQuotas() {
        let table = RateLimitTable()
        #expect(table.limit(service: .account, operation: "PutAlternateContact")?.limit == RateLimit(rate: 5, burst: 8))
        #expect(table.limit(service: .account, operation: "GetAlternateContact")?.limit == RateLimit(rate: 10, burst: 15))
        #expect(table.limit(service: .account, operation: "DeleteAlternateContact")?.limit == RateLimit(rate: 1, burst: 6))
        #expect(table.limit(service: .organizations, operation: "ListAccounts")?.configured == false)
        #expect(table.limit(service: .sts, operation: "AssumeRole") == nil)
    }

    @Test func configuredLimitsWinMostSpecificFirst() {
        let table = RateLimitTable(configured: [
            "account:*": RateLimit(rate: 3), "PutAlternateContact": RateLimit(rate: 7),
            "account:GetAlternateContact": RateLimit(rate: 9, burst: 2),
        ])
        #expect(table.limit(service: .account, operation: "PutAlternateContact")?.limit == RateLimit(rate: 7))
        #expect(table.limit(service: .account, operation: "GetAlternateContact")?.limit == RateLimit(rate: 9, burst: 2))
        #expect(table.limit(service: .account, operation: "DeleteAlternateContact")?.limit == RateLimit(rate: 3))
        #expect(table.limit(service: .account, operation: "DeleteAlternateContact")?.configured == true)
        #expect(table.limit(service: .organizations, operation: "ListAccounts")?.configured == false)
    }

    @Test("limit syntax", arguments: [
        ("10", RateLimit(rate: 10, burst: 10) as RateLimit?), ("2.5/4", RateLimit(rate: 2.5, burst: 4)), ("0.5", RateLimit(rate: 0.5, burst: 1)),
        ("0", nil), ("-1", nil), ("x", nil), ("10/0", nil), ("1/2/3", nil),
    ])
    func parsing(text: String, expected: RateLimit?) {
        #expect(RateLimit(parsing: text) == expected)
    }

    @Test("keys", arguments: [
        ("PutAlternateContact", true), ("account:PutAlternateContact", true), ("organizations:*", true),
        ("account:", false), ("*", true), ("*:Put", false), ("nosuch:Put", false), ("putAlternateContact", false), ("a:b:C", false),
    ])
    func keys(key: String, valid: Bool) {
        #expect(RateLimitTable.isValidKey(key) == valid)
    }

    @Test func acquireSleepsOnTheClockForItsTurn() {
        let clock = ManualClock()
        let limiter = RateLimiter(table: RateLimitTable(configured: ["PutAlternateContact": RateLimit(rate: 4.9 / 0.98, burst: 1)]), clock: clock)
        let key = RateKey(account: "111111111111", service: .account, operation: "PutAlternateContact")
        for _ in 0..<5 { limiter.acquire(key) }
        // 1 token at once, then 4 more at 4.9/s.
        #expect(abs(clock.sleeps.reduce(0, +) - 4 / 4.9) < 0.01)
    }

    @Test func aThrottleSlowsTheSiblingsOfTheSameAccountAndService() {
        let clock = ManualClock()
        let limiter = RateLimiter(clock: clock)
        let put = RateKey(account: "111111111111", service: .account, operation: "PutAlternateContact")
        let get = RateKey(account: "111111111111", service: .account, operation: "GetAlternateContact")
        let otherAccount = RateKey(account: "222222222222", service: .account, operation: "GetAlternateContact")
        let organizations = RateKey(account: "111111111111", service: .organizations, operation: "ListAccounts")
        for key in [put, get, otherAccount, organizations] { limiter.acquire(key) }
        limiter.recordThrottle(put)
        #expect(abs(limiter.bucket(put)!.rate - 3.5) < 0.001)
        #expect(abs(limiter.bucket(get)!.rate - 7) < 0.001)
        #expect(limiter.bucket(otherAccount)!.rate == 10)
        #expect(limiter.bucket(organizations)!.rate == 10)
    }

    @Test func noneLiftsTheDefaults() {
        let table = RateLimitTable(configured: ["*": .unlimited, "account:PutAlternateContact": RateLimit(rate: 3)])
        #expect(table.limit(service: .account, operation: "GetAlternateContact") == nil)
        #expect(table.limit(service: .organizations, operation: "ListAccounts") == nil)
        #expect(table.limit(service: .account, operation: "PutAlternateContact")?.limit == RateLimit(rate: 3))
        #expect(RateLimit(parsing: "none")?.isUnlimited == true)
    }

    @Test func unlimitedServicesNeverWait() {
        let clock = ManualClock()
        let limiter = RateLimiter(clock: clock)
        let key = RateKey(account: "111111111111", service: .sts, operation: "GetCallerIdentity")
        for _ in 0..<100 { limiter.acquire(key) }
        #expect(clock.sleeps.isEmpty)
        #expect(limiter.estimatedWait(key) == 0)
    }
}

