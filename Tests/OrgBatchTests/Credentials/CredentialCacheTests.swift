import Foundation
import Synchronization
import Testing

@testable import OrgBatch

@Suite("CredentialCache: one fetch at a time, botocore's windows")
struct CredentialCacheTests {
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))

    func keys(_ id: String, expiresIn seconds: Double) -> AWSCredentials {
        AWSCredentials(accessKeyID: id, secretAccessKey: "s", sessionToken: "t", expiration: clock.now() + seconds)
    }

    @Test func inTheAdvisoryWindowOthersGoOnWithTheOldCredentials() throws {
        let cache = CredentialCache<Void>(clock: clock)
        _ = try cache.credentials { _ in keys("OLD", expiresIn: 3600) }
        clock.advance(3600 - 12 * 60)  // 12 minutes left: advisory
        let inFetch = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let refresher = Thread {
            _ = try? cache.credentials { _ in
                inFetch.signal()
                release.wait()
                return keys("NEW", expiresIn: 3600)
            }
        }
        refresher.start()
        inFetch.wait()
        // While that refresh hangs, another worker is not held up.
        #expect(try cache.credentials { _ in Issue.record("a second fetch"); return keys("X", expiresIn: 1) }.accessKeyID == "OLD")
        release.signal()
        while try cache.credentials(fetch: { _ in keys("Y", expiresIn: 1) }).accessKeyID != "NEW" { usleep(1000) }
    }

    @Test func aFailedAdvisoryRefreshKeepsTheOldCredentials() throws {
        let cache = CredentialCache<Void>(clock: clock)
        _ = try cache.credentials { _ in keys("OLD", expiresIn: 3600) }
        clock.advance(3600 - 12 * 60)
        let kept = try cache.credentials { _ throws(AWSError) in throw Self.failure }
        #expect(kept.accessKeyID == "OLD")
    }

    @Test func withoutEarlyRefreshTheAdvisoryWindowIsLeftAlone() throws {
        let cache = CredentialCache<Void>(clock: clock, refreshesEarly: false, makeFetcher: {})
        _ = try cache.credentials { _ in keys("OLD", expiresIn: 3600) }
        clock.advance(3600 - 12 * 60)
        #expect(try cache.credentials { _ in Issue.record("refreshed early"); return keys("X", expiresIn: 1) }.accessKeyID == "OLD")
        clock.advance(3 * 60)  // 9 minutes left: mandatory
        #expect(try cache.credentials { _ in keys("NEW", expiresIn: 3600) }.accessKeyID == "NEW")
    }

    static let failure = AWSError(
        origin: .credentials, service: .sts, operation: "instance-metadata", code: "credentials.instance-metadata",
        message: "no route to host", classification: .terminal)

    @Test func aFailureWithNothingToFallBackOnIsHeldForAWhile() throws {
        let cache = CredentialCache<Void>(clock: clock)
        let fetches = Mutex(0)
        func failing(_: Void) throws(AWSError) -> AWSCredentials {
            fetches.withLock { $0 += 1 }
            throw Self.failure
        }
        for _ in 0..<5 {
            #expect(throws: AWSError.self) { try cache.credentials(fetch: failing) }
        }
        #expect(fetches.withLock { $0 } == 1)  // one timeout, not five
        clock.advance(CredentialCache<Void>.failureHoldSeconds)
        #expect(try cache.credentials { _ in keys("LATER", expiresIn: 3600) }.accessKeyID == "LATER")
    }
}
