import Foundation
import Testing

@testable import OrgBatch

@Suite("Assumed-role credentials: caching and refresh")
struct AssumeRoleCredentialProviderTests {
    let transport = ScriptedTransport()
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))

    func provider() -> AssumeRoleCredentialProvider {
        AssumeRoleCredentialProvider(
            role: .init(arn: "arn:aws:iam::111111111111:role/R", sessionName: "s", profile: "p"),
            source: StaticCredentialProvider(Fixtures.keys, source: "test"),
            stsEndpoint: Fixtures.endpoint(.sts), transportFactory: ScriptedTransportFactory(transport: transport),
            clock: clock, retryPolicy: StandardRetryPolicy(maxAttempts: 1))
    }

    /// An AssumeRole answer whose credentials expire `seconds` after the clock's now.
    func answer(_ keyID: String, expiresIn seconds: Double) -> ScriptedTransport.Step {
        let formatter = ISO8601DateFormatter()
        return STSResponses.assumeRole(
            keyID: keyID, secret: "secret-\(keyID)", token: "token-\(keyID)",
            expiration: formatter.string(from: clock.now() + seconds))
    }

    @Test func cachedUntilTheAdvisoryWindow() throws {
        let provider = provider()
        transport.enqueue(answer("ASIA1", expiresIn: 3600))
        #expect(try provider.credentials().accessKeyID == "ASIA1")
        clock.advance(3600 - 15 * 60 - 1)
        #expect(try provider.credentials().accessKeyID == "ASIA1")
        #expect(transport.sent.count == 1)
    }

    @Test func advisoryRefreshKeepsOldCredentialsWhenSTSFails() throws {
        let provider = provider()
        transport.enqueue(answer("ASIA1", expiresIn: 3600))
        _ = try provider.credentials()
        clock.advance(3600 - 12 * 60)  // 12 minutes left: advisory
        transport.enqueue(STSResponses.error(503, code: "ServiceUnavailable", message: "down"))
        #expect(try provider.credentials().accessKeyID == "ASIA1")
        transport.enqueue(answer("ASIA2", expiresIn: 3600))
        #expect(try provider.credentials().accessKeyID == "ASIA2")
        #expect(transport.sent.count == 3)
    }

    @Test func mandatoryRefreshFailsLoudly() throws {
        let provider = provider()
        transport.enqueue(answer("ASIA1", expiresIn: 3600))
        _ = try provider.credentials()
        clock.advance(3600 - 5 * 60)  // 5 minutes left: mandatory
        transport.enqueue(STSResponses.error(403, code: "AccessDenied", message: "role deleted"))
        #expect(throws: AWSError.self) { try provider.credentials() }
    }

    @Test func invalidateForcesANewCall() throws {
        let provider = provider()
        transport.enqueue(answer("ASIA1", expiresIn: 3600))
        transport.enqueue(answer("ASIA2", expiresIn: 3600))
        _ = try provider.credentials()
        provider.invalidate(ifAccessKeyID: "ASIA1")
        #expect(try provider.credentials().accessKeyID == "ASIA2")
        // A worker reporting the old key again does not throw away the new one.
        provider.invalidate(ifAccessKeyID: "ASIA1")
        #expect(try provider.credentials().accessKeyID == "ASIA2")
        #expect(transport.sent.count == 2)
    }

    @Test func manyWorkersAtOnceMakeOneCall() throws {
        let provider = provider()
        transport.enqueue(answer("ASIA1", expiresIn: 3600))
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            _ = try? provider.credentials()
        }
        #expect(transport.sent.count == 1)
    }

    @Test func descriptionNamesRoleAndSourceOnly() throws {
        let provider = provider()
        transport.enqueue(answer("ASIA1", expiresIn: 3600))
        _ = try provider.credentials()
        #expect("\(provider)" == "role arn:aws:iam::111111111111:role/R from static keys (test)")
    }
}
