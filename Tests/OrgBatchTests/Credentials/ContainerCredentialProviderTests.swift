import Foundation
import Testing

@testable import OrgBatch

@Suite("Container credentials: ECS task roles and EKS Pod Identity")
struct ContainerCredentialProviderTests {
    let transport = ScriptedTransport()
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
    let folder = Fixtures.temporaryDirectory()

    func document(_ keyID: String, expiresIn seconds: Double = 6 * 3600) -> ScriptedTransport.Step {
        ScriptedTransport.json(
            200,
            [
                "AccessKeyId": keyID, "SecretAccessKey": "secret-\(keyID)", "Token": "token-\(keyID)",
                "Expiration": ISO8601DateFormatter().string(from: clock.now() + seconds), "RoleArn": "arn:aws:iam::1:role/T",
            ])
    }

    func provider(_ environment: [String: String]) throws -> ContainerCredentialProvider {
        try #require(
            try ContainerCredentialProvider.fromEnvironment(
                environment, transportFactory: ScriptedTransportFactory(transport: transport), clock: clock))
    }

    @Test func anECSTaskRoleUsesTheRelativeURIOnTheFixedHost() throws {
        transport.enqueue(document("ASIATASK"))
        let credentials = try provider(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/uuid-1"]).credentials()
        #expect(credentials.accessKeyID == "ASIATASK")
        #expect(credentials.signing.sessionToken == "token-ASIATASK")
        #expect(credentials.expiration == clock.now() + 6 * 3600)
        let request = try #require(transport.sent.first)
        #expect(request.method == "GET")
        #expect(request.url == "http://169.254.170.2/v2/credentials/uuid-1")
        #expect(request.header("Accept") == "application/json")
        #expect(request.header("Authorization") == nil)
    }

    @Test func theRelativeURIWinsOverTheFullOne() throws {
        let provider = try provider([
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/x", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/y",
        ])
        #expect(provider.url == "http://169.254.170.2/v2/x")
    }

    @Test func podIdentityReadsTheTokenFileForEveryFetch() throws {
        let tokenFile = folder.appendingPathComponent("eks-pod-identity-token").path
        try "first-token".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let provider = try provider([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile, "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ignored",
        ])
        transport.enqueue(document("ASIAPOD1", expiresIn: 3600))
        transport.enqueue(document("ASIAPOD2", expiresIn: 3600))
        #expect(try provider.credentials().accessKeyID == "ASIAPOD1")
        try "second-token".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        clock.advance(50 * 60)  // 10 minutes left: inside the mandatory window
        #expect(try provider.credentials().accessKeyID == "ASIAPOD2")
        #expect(transport.sent.map { $0.header("Authorization") } == ["first-token", "second-token"])
        #expect(transport.sent.first?.url == "http://169.254.170.23/v1/credentials")
    }

    @Test func theTokenVariableWhenThereIsNoFile() throws {
        transport.enqueue(document("ASIA1"))
        _ = try provider(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "https://creds.example.com/c", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "abc"])
            .credentials()
        #expect(transport.sent.first?.header("Authorization") == "abc")
    }

    @Test func aTokenWithALineBreakIsRefused() throws {
        let provider = try provider(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/c", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "abc\r\nX-Evil: 1"])
        #expect {
            _ = try provider.credentials()
        } throws: { error in
            (error as! AWSError).message.contains("line break")
        }
        #expect(transport.sent.isEmpty)
    }

    @Test(arguments: [
        ("http://10.1.2.3/creds", false), ("http://169.254.170.2/creds", true), ("http://[fd00:ec2::23]/creds", true),
        ("http://localhost:8080/creds", true), ("http://127.0.0.5/creds", true), ("https://anywhere.example.com/c", true),
        ("http://169.254.169.254/latest", false),
    ])
    func onlyHostsOfTheMachineOverPlainHTTP(url: String, allowed: Bool) throws {
        let result = Result { () throws(ConfigError) in
            try ContainerCredentialProvider.fromEnvironment(
                ["AWS_CONTAINER_CREDENTIALS_FULL_URI": url], transportFactory: ScriptedTransportFactory(transport: transport),
                clock: clock)
        }
        switch result {
        case .success: #expect(allowed)
        case .failure(let error): #expect(!allowed && error.code == .insecureEndpoint)
        }
    }

    @Test func threeAttemptsOneSecondApartThenAClearError() throws {
        let provider = try provider(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/c"])
        transport.enqueue(.failure(TransportError(kind: .connect, detail: "connection refused")))
        transport.enqueue(ScriptedTransport.text(500, "agent starting"))
        transport.enqueue(ScriptedTransport.text(200, "not json"))
        #expect {
            _ = try provider.credentials()
        } throws: { error in
            let error = error as! AWSError
            return error.code == "credentials.container" && error.message.contains("http://169.254.170.2:") && !error.message.contains("/v2/c")
                && error.message.contains("not a JSON object")
        }
        #expect(transport.sent.count == 3)
        #expect(clock.sleeps == [1, 1])
    }

    @Test func aPassingFailureIsRetried() throws {
        let provider = try provider(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/c"])
        transport.enqueue(ScriptedTransport.text(503, ""))
        transport.enqueue(document("ASIAOK"))
        #expect(try provider.credentials().accessKeyID == "ASIAOK")
    }

    @Test func aDocumentWithoutATokenIsRefusedWithoutQuotingIt() throws {
        let provider = try provider(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/c"])
        for _ in 0..<3 {
            transport.enqueue(ScriptedTransport.json(200, ["AccessKeyId": "ASIAX", "SecretAccessKey": "very-secret"]))
        }
        #expect {
            _ = try provider.credentials()
        } throws: { error in
            let text = "\(error)"
            return text.contains("lacks Token, Expiration") && !text.contains("very-secret")
        }
    }

    @Test func anErrorAnswerIsQuotedUnlessItLooksLikeKeys() throws {
        let provider = try provider(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/c"])
        transport.enqueue(ScriptedTransport.text(500, "agent not ready"))
        transport.enqueue(ScriptedTransport.text(500, "agent not ready"))
        transport.enqueue(ScriptedTransport.text(403, "{\"AccessKeyId\": \"ASIAX\", \"SecretAccessKey\": \"leaked\"}"))
        #expect {
            _ = try provider.credentials()
        } throws: { error in
            let text = "\(error)"
            return text.contains("HTTP 403") && !text.contains("leaked")
        }
        let other = try self.provider(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/d"])
        for _ in 0..<3 { transport.enqueue(ScriptedTransport.text(500, "agent not ready")) }
        #expect {
            _ = try other.credentials()
        } throws: { error in
            "\(error)".contains("HTTP 500: agent not ready")
        }
    }

    @Test func theTokenNeverShowsInADescription() {
        #expect("\(ContainerCredentialProvider.Authorization.token("s3cr3t"))" == "token <redacted>")
        #expect(String(reflecting: ContainerCredentialProvider.Authorization.token("s3cr3t")) == "token <redacted>")
    }

    @Test func manyWorkersAtOnceFetchOnce() throws {
        let provider = try provider(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/c"])
        transport.enqueue(document("ASIAONCE"))
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            #expect(try! provider.credentials().accessKeyID == "ASIAONCE")
        }
        #expect(transport.sent.count == 1)
    }
}
