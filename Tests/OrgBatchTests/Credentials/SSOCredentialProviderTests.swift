import Foundation
import Testing

@testable import OrgBatch

@Suite("IAM Identity Center: cached token, GetRoleCredentials, refresh")
struct SSOCredentialProviderTests {
    static let config = """
        [sso-session corp]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = eu-west-1
        sso_registration_scopes = sso:account:access

        [profile prod]
        sso_session = corp
        sso_account_id = 111111111111
        sso_role_name = OrgAdmin
        region = us-east-1

        [profile dev]
        sso_session = corp
        sso_account_id = 222222222222
        sso_role_name = OrgAdmin

        [profile legacy]
        sso_start_url = https://legacy.awsapps.com/start
        sso_region = us-east-2
        sso_account_id = 333333333333
        sso_role_name = ReadOnly

        [profile half]
        sso_session = corp
        sso_role_name = OrgAdmin

        [profile clash]
        sso_session = corp
        sso_region = us-west-2
        sso_account_id = 1
        sso_role_name = R

        [profile chained]
        role_arn = arn:aws:iam::444444444444:role/OrganizationAccountAccessRole
        source_profile = prod
        """

    let transport = ScriptedTransport()
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
    let cache = Fixtures.temporaryDirectory()

    func resolver() throws -> ProfileResolver {
        var resolver = ProfileResolver(
            environment: ["HOME": "/nonexistent"],
            config: SharedConfig(config: try ConfigFile.parse(Self.config, path: "/c/config"), credentials: nil),
            transportFactory: ScriptedTransportFactory(transport: transport), clock: clock,
            retryPolicy: StandardRetryPolicy(maxAttempts: 1))
        resolver.ssoCacheDirectory = cache.path
        return resolver
    }

    /// Writes a token as `aws sso login` does.
    @discardableResult
    func login(
        _ key: String, token: String = "access-1", expiresIn: Double = 8 * 3600, refreshable: Bool = true
    ) throws -> String {
        var object: [String: Any] = [
            "startUrl": "https://corp.awsapps.com/start", "region": "eu-west-1", "accessToken": token,
            "expiresAt": SSOToken.formatTime(clock.now() + expiresIn),
        ]
        if refreshable {
            object["clientId"] = "client-id"
            object["clientSecret"] = "client-secret"
            object["registrationExpiresAt"] = SSOToken.formatTime(clock.now() + 90 * 86400)
            object["refreshToken"] = "refresh-1"
        }
        let path = cache.appendingPathComponent(SSOToken.cacheFileName(sessionName: key, startURL: key)).path
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        return path
    }

    func roleCredentials(_ keyID: String, expiresIn: Double = 3600) -> ScriptedTransport.Step {
        ScriptedTransport.json(
            200,
            [
                "roleCredentials": [
                    "accessKeyId": keyID, "secretAccessKey": "secret-\(keyID)", "sessionToken": "token-\(keyID)",
                    "expiration": Int((clock.now().timeIntervalSince1970 + expiresIn) * 1000),
                ]
            ])
    }

    @Test func theCacheFileIsNamedAfterTheSessionOrTheStartURL() {
        // sha1("corp") and sha1("https://legacy.awsapps.com/start"), as botocore names them.
        #expect(SSOToken.cacheFileName(sessionName: "corp", startURL: "x") == "ee0bfd2552fbd840c02cc48b6e823320543c450f.json")
        #expect(
            SSOToken.cacheFileName(sessionName: nil, startURL: "https://legacy.awsapps.com/start")
                == "79e435d7a515078e81c9dffc35f38d5687ebd3a7.json")
    }

    @Test func anSSOSessionProfileGetsRoleCredentialsFromThePortal() throws {
        try login("corp")
        transport.enqueue(roleCredentials("ASIASSO"))
        let profile = try resolver().resolve(profile: "prod")
        let credentials = try profile.credentials.credentials()
        #expect(credentials.accessKeyID == "ASIASSO")
        #expect(credentials.expiration == clock.now() + 3600)
        let request = try #require(transport.sent.first)
        #expect(request.method == "GET")
        #expect(request.url == "https://portal.sso.eu-west-1.amazonaws.com/federation/credentials?role_name=OrgAdmin&account_id=111111111111")
        #expect(request.header("x-amz-sso_bearer_token") == "access-1")
        #expect(request.header("Authorization") == nil)
        #expect("\(profile.credentials)" == "IAM Identity Center role OrgAdmin in 111111111111 (sso-session 'corp', profile 'prod')")
        // The profile's own region is for the job's clients; the portal is in sso_region.
        #expect(profile.region == "us-east-1")
    }

    @Test func aLegacyProfileReadsTheTokenOfItsStartURL() throws {
        try login("https://legacy.awsapps.com/start", token: "legacy-token")
        transport.enqueue(roleCredentials("ASIALEGACY"))
        #expect(try resolver().resolve(profile: "legacy").credentials.credentials().accessKeyID == "ASIALEGACY")
        #expect(transport.sent.first?.url.hasPrefix("https://portal.sso.us-east-2.amazonaws.com/") == true)
        #expect(transport.sent.first?.header("x-amz-sso_bearer_token") == "legacy-token")
    }

    @Test func anExpiredLegacyLoginNamesTheCommandAndCallsNothing() throws {
        try login("https://legacy.awsapps.com/start", expiresIn: -60, refreshable: false)
        #expect {
            _ = try resolver().resolve(profile: "legacy").credentials.credentials()
        } throws: { error in
            let error = error as! AWSError
            return error.code == "credentials.sso-login-required" && error.message.hasSuffix("run: aws sso login --profile legacy")
        }
        #expect(transport.sent.isEmpty)
    }

    @Test func noLoginAtAll() throws {
        #expect {
            _ = try resolver().resolve(profile: "prod").credentials.credentials()
        } throws: { error in
            let message = (error as! AWSError).message
            return message.contains("no SSO login is cached for sso-session 'corp'")
                && message.hasSuffix("run: aws sso login --sso-session corp")
        }
    }

    @Test func aTokenNearExpiryIsRefreshedAndWrittenBack() throws {
        let file = try login("corp", token: "old-access", expiresIn: 5 * 60)
        transport.enqueue(ScriptedTransport.json(200, ["accessToken": "new-access", "expiresIn": 28800, "refreshToken": "refresh-2", "tokenType": "Bearer"]))
        transport.enqueue(roleCredentials("ASIANEW"))
        #expect(try resolver().resolve(profile: "prod").credentials.credentials().accessKeyID == "ASIANEW")

        let refresh = transport.sent[0]
        #expect(refresh.method == "POST")
        #expect(refresh.url == "https://oidc.eu-west-1.amazonaws.com/token")
        #expect(refresh.bodyJSON["grantType"] as? String == "refresh_token")
        #expect(refresh.bodyJSON["refreshToken"] as? String == "refresh-1")
        #expect(refresh.bodyJSON["clientSecret"] as? String == "client-secret")
        #expect(transport.sent[1].header("x-amz-sso_bearer_token") == "new-access")

        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as! [String: Any]
        #expect(written["accessToken"] as? String == "new-access")
        #expect(written["refreshToken"] as? String == "refresh-2")
        #expect(written["expiresAt"] as? String == SSOToken.formatTime(clock.now() + 28800))
        #expect(written["startUrl"] as? String == "https://corp.awsapps.com/start")  // the rest is kept
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aFailedRefreshKeepsAStillValidToken() throws {
        try login("corp", token: "still-good", expiresIn: 5 * 60)
        transport.enqueue(
            ScriptedTransport.json(400, ["error": "invalid_grant", "error_description": "refresh token revoked"],
                headers: [("x-amzn-ErrorType", "InvalidGrantException")]))
        transport.enqueue(roleCredentials("ASIAOLD"))
        #expect(try resolver().resolve(profile: "prod").credentials.credentials().accessKeyID == "ASIAOLD")
        #expect(transport.sent[1].header("x-amz-sso_bearer_token") == "still-good")
    }

    @Test func anExpiredTokenThatCannotBeRefreshedNamesTheCommand() throws {
        try login("corp", expiresIn: -1, refreshable: false)
        #expect {
            _ = try resolver().resolve(profile: "prod").credentials.credentials()
        } throws: { error in
            (error as! AWSError).message.hasSuffix("run: aws sso login --sso-session corp")
        }
        #expect(transport.sent.isEmpty)
    }

    @Test func aPortalThatRefusesTheTokenNamesTheCommand() throws {
        try login("corp")
        transport.enqueue(
            ScriptedTransport.json(401, ["message": "Session token not found or invalid"],
                headers: [("x-amzn-ErrorType", "UnauthorizedException")]))
        #expect {
            _ = try resolver().resolve(profile: "prod").credentials.credentials()
        } throws: { error in
            let error = error as! AWSError
            return error.code == "credentials.sso-login-required" && error.message.contains("refused")
                && error.message.hasSuffix("aws sso login --sso-session corp")
        }
    }

    @Test func aForbiddenRoleIsTheServicesError() throws {
        try login("corp")
        transport.enqueue(
            ScriptedTransport.json(403, ["message": "No access"], headers: [("x-amzn-ErrorType", "ForbiddenException")]))
        #expect {
            _ = try resolver().resolve(profile: "prod").credentials.credentials()
        } throws: { error in
            let error = error as! AWSError
            return error.code == "ForbiddenException" && error.message.contains("getting role OrgAdmin in 111111111111")
        }
    }

    @Test func profilesOfOneSessionShareItsToken() throws {
        let resolver = try resolver()
        let prod = try resolver.resolve(profile: "prod").credentials as! SSOCredentialProvider
        let dev = try resolver.resolve(profile: "dev").credentials as! SSOCredentialProvider
        let same = prod.token === dev.token
        #expect(same)
    }

    @Test func anSSOProfileCanBeARoleChainsSource() throws {
        try login("corp")
        transport.enqueue(roleCredentials("ASIASOURCE"))
        transport.enqueue(
            STSResponses.assumeRole(
                keyID: "ASIAROLE", secret: "s", token: "t", expiration: ISO8601DateFormatter().string(from: clock.now() + 3600)))
        #expect(try resolver().resolve(profile: "chained").credentials.credentials().accessKeyID == "ASIAROLE")
        #expect(STSResponses.signingKeyID(of: transport.sent[1]) == "ASIASOURCE")
    }

    @Test func configurationErrors() throws {
        #expect {
            _ = try resolver().resolve(profile: "half")
        } throws: { error in
            let error = error as! ConfigError
            return error.code == .incompleteKeys && error.message.contains("lacks sso_account_id")
        }
        #expect {
            _ = try resolver().resolve(profile: "clash")
        } throws: { error in
            let error = error as! ConfigError
            return error.code == .conflictingSettings && error.message.contains("sso_region = us-west-2")
        }
    }

    @Test func endpointURLIsForTheJobsClientsOnly() throws {
        try login("corp")
        var resolver = try resolver()
        resolver.endpoints.explicitEndpoint = "https://mock.example.com"
        transport.enqueue(roleCredentials("ASIASSO"))
        _ = try resolver.resolve(profile: "prod").credentials.credentials()
        #expect(transport.sent.first?.url.hasPrefix("https://portal.sso.eu-west-1.amazonaws.com/") == true)
    }

    @Test func tokensNeverShowInADescription() throws {
        let token = try #require(SSOToken.parse(Data(#"{"accessToken": "a-secret", "expiresAt": "2026-11-24T18:00:00Z", "refreshToken": "r-secret", "clientSecret": "c-secret"}"#.utf8)))
        for text in ["\(token)", String(reflecting: token)] {
            #expect(!text.contains("secret"))
        }
    }

    @Test func tokenTimesInTheFormatsTheCLIHasWritten() {
        #expect(SSOToken.parseTime("2026-11-24T18:00:00Z") == Date(timeIntervalSince1970: 1_795_543_200))
        #expect(SSOToken.parseTime("2026-11-24T18:00:00UTC") == Date(timeIntervalSince1970: 1_795_543_200))
        #expect(SSOToken.parseTime("2026-11-24T18:00:00.000Z") == Date(timeIntervalSince1970: 1_795_543_200))
        #expect(SSOToken.parseTime("2026-11-24T19:00:00+01:00") == Date(timeIntervalSince1970: 1_795_543_200))
    }
}
