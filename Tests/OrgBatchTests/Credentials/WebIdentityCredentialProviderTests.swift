import Foundation
import Testing

@testable import OrgBatch

@Suite("Web identity: AssumeRoleWithWebIdentity from a token file")
struct WebIdentityCredentialProviderTests {
    let transport = ScriptedTransport()
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
    let folder = Fixtures.temporaryDirectory()

    func answer(_ keyID: String) -> ScriptedTransport.Step {
        STSResponses.assumeRole(
            keyID: keyID, secret: "s-\(keyID)", token: "t-\(keyID)",
            expiration: ISO8601DateFormatter().string(from: clock.now() + 3600))
    }

    func resolver(_ environment: [String: String], config: String = "") throws -> ProfileResolver {
        ProfileResolver(
            environment: environment,
            config: SharedConfig(config: try ConfigFile.parse(config, path: "/c/config"), credentials: nil),
            transportFactory: ScriptedTransportFactory(transport: transport), clock: clock,
            retryPolicy: StandardRetryPolicy(maxAttempts: 1))
    }

    func tokenFile(_ token: String) throws -> String {
        let path = folder.appendingPathComponent("token").path
        try token.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func fromTheEnvironmentWithNoConfigFileAtAll() throws {
        let token = try tokenFile("eyJhbGciOi.first\n")
        transport.enqueue(answer("ASIAWEB1"))
        let profile = try resolver([
            "AWS_WEB_IDENTITY_TOKEN_FILE": token, "AWS_ROLE_ARN": "arn:aws:iam::111111111111:role/Pod",
            "AWS_ROLE_SESSION_NAME": "pod-1", "AWS_REGION": "eu-west-1",
        ]).resolve(profile: nil)
        #expect(try profile.credentials.credentials().accessKeyID == "ASIAWEB1")
        let call = try #require(transport.sent.first)
        #expect(call.url == "https://sts.eu-west-1.amazonaws.com/")
        #expect(call.header("Authorization") == nil)  // unsigned: the token is the credential
        #expect(call.header("X-Amz-Security-Token") == nil)
        let form = call.bodyText
        #expect(form.contains("Action=AssumeRoleWithWebIdentity"))
        #expect(form.contains("WebIdentityToken=eyJhbGciOi.first"))
        #expect(form.contains("RoleSessionName=pod-1"))
        #expect("\(profile.credentials)".contains("environment"))
        #expect(!"\(profile.credentials)".contains("eyJhbGciOi"))
    }

    @Test func theTokenIsReadAgainForEachRefresh() throws {
        let path = try tokenFile("token-one")
        transport.enqueue(answer("ASIA1"))
        transport.enqueue(answer("ASIA2"))
        let profile = try resolver(
            [:], config: "[profile eks]\nrole_arn = arn:aws:iam::111111111111:role/R\nweb_identity_token_file = \(path)\n"
        ).resolve(profile: "eks")
        _ = try profile.credentials.credentials()
        try "token-two".write(toFile: path, atomically: true, encoding: .utf8)
        clock.advance(3600 - 5 * 60)
        #expect(try profile.credentials.credentials().accessKeyID == "ASIA2")
        #expect(transport.sent[1].bodyText.contains("WebIdentityToken=token-two"))
    }

    @Test func precedenceAmongAProfilesSources() throws {
        let token = try tokenFile("tok")
        let config = """
            [profile chained]
            role_arn = arn:aws:iam::111111111111:role/Chained
            source_profile = keys

            [profile keys]
            aws_access_key_id = AKIAKEYS
            aws_secret_access_key = keys-secret
            """
        let environment = ["AWS_WEB_IDENTITY_TOKEN_FILE": token, "AWS_ROLE_ARN": "arn:aws:iam::111111111111:role/Pod"]
        // botocore's chain: an assumed role first, then web identity, then static keys.
        #expect(try resolver(environment, config: config).resolve(profile: "chained").credentials is AssumeRoleCredentialProvider)
        #expect(try resolver(environment, config: config).resolve(profile: "keys").credentials is WebIdentityCredentialProvider)
        #expect(try resolver([:], config: config).resolve(profile: "keys").credentials is StaticCredentialProvider)
    }

    @Test func errors() throws {
        #expect {
            _ = try resolver(["AWS_WEB_IDENTITY_TOKEN_FILE": "/nope"]).resolve(profile: nil)
        } throws: { ($0 as? ConfigError)?.message.contains("no role: set AWS_ROLE_ARN") == true }

        let profile = try resolver(["AWS_WEB_IDENTITY_TOKEN_FILE": "/nonexistent/token", "AWS_ROLE_ARN": "arn:aws:iam::1:role/R"])
            .resolve(profile: nil)
        #expect {
            _ = try profile.credentials.credentials()
        } throws: { ($0 as! AWSError).code == "credentials.web-identity-token" }

        transport.enqueue(STSResponses.error(400, code: "ExpiredTokenException", message: "Token expired"))
        let expired = try resolver(["AWS_WEB_IDENTITY_TOKEN_FILE": try tokenFile("old"), "AWS_ROLE_ARN": "arn:aws:iam::1:role/R"])
            .resolve(profile: nil)
        #expect {
            _ = try expired.credentials.credentials()
        } throws: { error in
            let error = error as! AWSError
            return error.code == "ExpiredTokenException" && error.message.contains("web identity token (environment)")
        }
    }
}
