import Foundation
import Testing

@testable import OrgBatch

@Suite("Instance metadata: IMDSv2 token, role, credentials")
struct InstanceMetadataCredentialProviderTests {
    let transport = ScriptedTransport()
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))

    func provider(_ settings: InstanceMetadataCredentialProvider.Settings = .init()) -> InstanceMetadataCredentialProvider {
        InstanceMetadataCredentialProvider(
            settings: settings, transportFactory: ScriptedTransportFactory(transport: transport), clock: clock)
    }

    func document(_ keyID: String) -> ScriptedTransport.Step {
        ScriptedTransport.json(
            200,
            [
                "Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": keyID, "SecretAccessKey": "secret-\(keyID)",
                "Token": "token-\(keyID)", "Expiration": ISO8601DateFormatter().string(from: clock.now() + 6 * 3600),
            ])
    }

    @Test func tokenThenRoleThenCredentials() throws {
        transport.enqueue(ScriptedTransport.text(200, "imds-session-token"))
        transport.enqueue(ScriptedTransport.text(200, "cron-runner\n"))
        transport.enqueue(document("ASIAEC2"))
        let credentials = try provider().credentials()
        #expect(credentials.accessKeyID == "ASIAEC2")
        #expect(credentials.signing.sessionToken == "token-ASIAEC2")
        let sent = transport.sent
        #expect(sent.map(\.method) == ["PUT", "GET", "GET"])
        #expect(sent.map(\.url) == [
            "http://169.254.169.254/latest/api/token",
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/cron-runner",
        ])
        #expect(sent[0].header("x-aws-ec2-metadata-token-ttl-seconds") == "21600")
        #expect(sent[1].header("x-aws-ec2-metadata-token") == "imds-session-token")
        #expect(sent[2].header("x-aws-ec2-metadata-token") == "imds-session-token")
        #expect(sent.allSatisfy { $0.timeouts == HTTPTimeouts(connect: 1, total: 2) })
    }

    @Test(arguments: [403, 404, 405])
    func withoutATokenItFallsBackToIMDSv1(status: Int) throws {
        transport.enqueue(ScriptedTransport.text(status, ""))
        transport.enqueue(ScriptedTransport.text(200, "role"))
        transport.enqueue(document("ASIAV1"))
        #expect(try provider().credentials().accessKeyID == "ASIAV1")
        #expect(transport.sent[1].header("x-aws-ec2-metadata-token") == nil)
    }

    @Test func aTokenTimeoutAlsoFallsBackToIMDSv1() throws {
        transport.enqueue(.failure(TransportError(kind: .timeout, detail: "timed out")))
        transport.enqueue(ScriptedTransport.text(200, "role"))
        transport.enqueue(document("ASIAV1"))
        #expect(try provider().credentials().accessKeyID == "ASIAV1")
    }

    @Test func noFallbackWhenIMDSv1IsDisabled() throws {
        transport.enqueue(ScriptedTransport.text(403, ""))
        #expect {
            _ = try provider(.init(v1Disabled: true)).credentials()
        } throws: { error in
            (error as! AWSError).message.contains("IMDSv1 is disabled")
        }
        #expect(transport.sent.count == 1)
    }

    @Test func aRefusedTokenRequestIsAnError() throws {
        transport.enqueue(ScriptedTransport.text(400, ""))
        #expect {
            _ = try provider().credentials()
        } throws: { error in
            (error as! AWSError).httpStatus == 400
        }
    }

    @Test func noMetadataServiceSaysHowToTurnItOff() throws {
        transport.enqueue(.failure(TransportError(kind: .connect, detail: "no route to host")))
        transport.enqueue(.failure(TransportError(kind: .connect, detail: "no route to host")))
        #expect {
            _ = try provider().credentials()
        } throws: { error in
            let error = error as! AWSError
            return error.code == "credentials.instance-metadata" && error.message.contains("no route to host")
                && error.message.contains("AWS_EC2_METADATA_DISABLED=true")
        }
    }

    @Test func attemptsAreRetriedUpToTheSetting() throws {
        transport.enqueue(ScriptedTransport.text(200, "t"))
        transport.enqueue(ScriptedTransport.text(500, ""))
        transport.enqueue(ScriptedTransport.text(200, ""))  // empty: retried
        transport.enqueue(ScriptedTransport.text(200, "role"))
        transport.enqueue(ScriptedTransport.text(200, "{}"))
        transport.enqueue(document("ASIA3"))
        #expect(try provider(.init(attempts: 3)).credentials().accessKeyID == "ASIA3")
    }

    @Test func credentialsAreKeptUntilTheRefreshWindow() throws {
        let provider = provider()
        for key in ["ASIA1", "ASIA2"] {
            transport.enqueue(ScriptedTransport.text(200, "t"))
            transport.enqueue(ScriptedTransport.text(200, "role"))
            transport.enqueue(document(key))
        }
        #expect(try provider.credentials().accessKeyID == "ASIA1")
        clock.advance(5 * 3600)
        #expect(try provider.credentials().accessKeyID == "ASIA1")
        clock.advance(50 * 60)  // 10 minutes left
        #expect(try provider.credentials().accessKeyID == "ASIA2")
        #expect(transport.sent.count == 6)
    }

    @Test func settingsFromTheEnvironmentAndTheProfile() throws {
        typealias Settings = InstanceMetadataCredentialProvider.Settings
        #expect(try Settings.resolve(environment: ["AWS_EC2_METADATA_DISABLED": "TRUE"], profile: nil) == nil)
        #expect(try Settings.resolve(environment: [:], profile: nil) == Settings())
        let ipv6 = try Settings.resolve(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"], profile: nil)
        #expect(ipv6?.baseURL == "http://[fd00:ec2::254]/")
        let local = try Settings.resolve(
            environment: [
                "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:8111", "AWS_METADATA_SERVICE_TIMEOUT": "3",
                "AWS_METADATA_SERVICE_NUM_ATTEMPTS": "2", "AWS_EC2_METADATA_V1_DISABLED": "true",
            ], profile: nil)
        #expect(local == Settings(baseURL: "http://127.0.0.1:8111/", timeoutSeconds: 3, attempts: 2, v1Disabled: true))
        let profile = try ConfigFile.parse(
            "[default]\nmetadata_service_timeout = 2\nec2_metadata_service_endpoint = http://[fd00:ec2::254]\n", path: "/c")
        let fromProfile = try Settings.resolve(
            environment: [:], profile: SharedConfig(config: profile, credentials: nil).profiles["default"])
        #expect(fromProfile == Settings(baseURL: "http://[fd00:ec2::254]/", timeoutSeconds: 2))
        #expect(throws: ConfigError.self) {
            try Settings.resolve(environment: ["AWS_METADATA_SERVICE_NUM_ATTEMPTS": "0"], profile: nil)
        }
    }
}
