import Foundation
import Testing

/// Each credential source against its stand-in on 127.0.0.1 (tools/faultyaws serves instance
/// metadata, a container endpoint and IAM Identity Center): the built binary resolves it,
/// botocore resolves the same settings to the same credentials, and failures say what to do.
@Suite("Credential sources against local stand-ins")
struct CredentialSourcesIntegrationTests {
    static let managementAccount = "700000000000"

    /// The environment of a machine with no config file: everything comes from `extra`.
    static func environment(_ aws: FaultyAWS, _ extra: [String: String]) -> [String: String] {
        [
            "AWS_CONFIG_FILE": aws.folder.appendingPathComponent("no-config").path,
            "AWS_SHARED_CREDENTIALS_FILE": aws.folder.appendingPathComponent("no-credentials").path,
            "HOME": aws.folder.path, "AWS_ENDPOINT_URL": aws.endpoint, "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",  // botocore reads only this one
            // Never the real metadata service: the tests that want one point at the stand-in.
            "AWS_EC2_METADATA_DISABLED": "true",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin",
        ].merging(extra) { $1 }
    }

    /// `orgbatch whoami`'s line, after checking it succeeded.
    static func whoami(_ environment: [String: String], _ arguments: [String] = []) throws -> [String: Any] {
        let result = try LocalAWS.run(try OrgBatchBinary.path(), ["whoami"] + arguments, environment: environment)
        try #require(result.status == 0, "\(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    }

    /// What botocore (the aws CLI's library) resolves with the same environment.
    static func botocore(_ environment: [String: String], profile: String? = nil) throws -> [String] {
        let python = """
            import json, sys, botocore.session
            session = botocore.session.Session(profile=sys.argv[1] or None)
            c = session.get_credentials().get_frozen_credentials()
            print(json.dumps([c.access_key, c.secret_key, c.token]))
            """
        let result = try LocalAWS.run("/usr/bin/env", ["python3", "-c", python, profile ?? ""], environment: environment)
        try #require(result.status == 0, "\(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String]
    }

    static let stableKeys = [
        "ASIA\(managementAccount)000000", "standin-secret-\(managementAccount)-0", "standin-token-\(managementAccount)-0",
    ]

    @Test func instanceMetadataWithIMDSv2() throws {
        let aws = try FaultyAWS(["orgs": 1, "accounts": 2, "latency_ms": 1, "credentials": ["stable": true]])
        let environment = Self.environment(
            aws, ["AWS_EC2_METADATA_SERVICE_ENDPOINT": aws.endpoint, "AWS_EC2_METADATA_DISABLED": "false"])
        let line = try Self.whoami(environment)
        #expect(line["account"] as? String == Self.managementAccount)
        #expect(line["credentialSource"] as? String == "EC2 instance metadata (\(aws.endpoint)/)")
        #expect(try aws.count("imds_token") == 1)  // IMDSv2: the stand-in refuses calls without a token
        #expect(try aws.count("imds_credentials") == 1)
        #expect(try Self.botocore(environment) == Self.stableKeys)
    }

    @Test func disabledInstanceMetadataIsAClearErrorAndNoRequest() throws {
        let aws = try FaultyAWS(["orgs": 1, "accounts": 2, "latency_ms": 1])
        let environment = Self.environment(
            aws, ["AWS_EC2_METADATA_SERVICE_ENDPOINT": aws.endpoint, "AWS_EC2_METADATA_DISABLED": "true"])
        let result = try LocalAWS.run(try OrgBatchBinary.path(), ["whoami"], environment: environment)
        #expect(result.status != 0)
        #expect(result.stderr.contains("no credentials"))
        #expect(result.stderr.contains("AWS_EC2_METADATA_DISABLED"))
        #expect(try aws.count("imds_token") == 0)
    }

    @Test func containerCredentialsWithATokenFile() throws {
        let aws = try FaultyAWS(["orgs": 1, "accounts": 2, "latency_ms": 1, "credentials": ["stable": true, "container": ["token": "pod-identity-token"]]])
        let tokenFile = aws.folder.appendingPathComponent("eks-pod-identity-token")
        try "pod-identity-token".write(to: tokenFile, atomically: true, encoding: .utf8)
        let environment = Self.environment(aws, [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": aws.endpoint + "/container/creds",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile.path,
        ])
        let line = try Self.whoami(environment)
        #expect(line["account"] as? String == Self.managementAccount)
        #expect(line["credentialSource"] as? String == "container credentials (\(aws.endpoint))")
        #expect(try Self.botocore(environment) == Self.stableKeys)

        // A wrong token: the endpoint's refusal, and never the token itself.
        try "wrong-token".write(to: tokenFile, atomically: true, encoding: .utf8)
        let refused = try LocalAWS.run(try OrgBatchBinary.path(), ["whoami"], environment: environment)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("HTTP 401"))
        #expect(!refused.stderr.contains("wrong-token"))
    }

    /// The SSO cache as `aws sso login` leaves it.
    static func ssoLogin(_ aws: FaultyAWS, key: String, token: String, expiresIn: Double, refreshToken: String? = nil) throws -> URL {
        let folder = aws.folder.appendingPathComponent(".aws/sso/cache")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let formatter = ISO8601DateFormatter()
        var object: [String: Any] = [
            "startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": token,
            "expiresAt": formatter.string(from: Date() + expiresIn),
        ]
        if let refreshToken {
            object["refreshToken"] = refreshToken
            object["clientId"] = "orgbatch-test-client"
            object["clientSecret"] = "client-secret"
            object["registrationExpiresAt"] = formatter.string(from: Date() + 86400 * 30)
        }
        let python = "import hashlib,sys; print(hashlib.sha1(sys.argv[1].encode()).hexdigest())"
        let name = try LocalAWS.run("/usr/bin/env", ["python3", "-c", python, key]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let file = folder.appendingPathComponent(name + ".json")
        try JSONSerialization.data(withJSONObject: object).write(to: file)
        return file
    }

    static func ssoConfig(_ aws: FaultyAWS) throws -> String {
        let path = aws.folder.appendingPathComponent("sso-config").path
        try """
            [sso-session corp]
            sso_start_url = https://corp.awsapps.com/start
            sso_region = us-east-1

            [profile prod]
            sso_session = corp
            sso_account_id = \(managementAccount)
            sso_role_name = OrgAdmin

            [profile legacy]
            sso_start_url = https://legacy.awsapps.com/start
            sso_region = us-east-1
            sso_account_id = \(managementAccount)
            sso_role_name = OrgAdmin
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func iamIdentityCenterFromTheCLIsCache() throws {
        let aws = try FaultyAWS(["orgs": 1, "accounts": 2, "latency_ms": 1, "credentials": ["stable": true, "sso": ["tokens": ["corp-access"]]]])
        _ = try Self.ssoLogin(aws, key: "corp", token: "corp-access", expiresIn: 8 * 3600)
        let environment = Self.environment(aws, ["AWS_CONFIG_FILE": try Self.ssoConfig(aws)])
        let line = try Self.whoami(environment, ["--profile", "prod"])
        #expect(line["account"] as? String == Self.managementAccount)
        #expect(line["credentialSource"] as? String == "IAM Identity Center role OrgAdmin in \(Self.managementAccount) (sso-session 'corp', profile 'prod')")
        #expect(try aws.count("sso_role_credentials") == 1)
        #expect(try Self.botocore(environment, profile: "prod") == Self.stableKeys)
    }

    @Test func anExpiredLoginSaysWhichCommandToRun() throws {
        let aws = try FaultyAWS(["orgs": 1, "accounts": 2, "latency_ms": 1])
        _ = try Self.ssoLogin(aws, key: "https://legacy.awsapps.com/start", token: "old", expiresIn: -60)
        let environment = Self.environment(aws, ["AWS_CONFIG_FILE": try Self.ssoConfig(aws)])
        let result = try LocalAWS.run(try OrgBatchBinary.path(), ["whoami", "--profile", "legacy"], environment: environment)
        #expect(result.status != 0)
        #expect(result.stderr.contains("run: aws sso login --profile legacy"), "\(result.stderr)")
        let missing = try LocalAWS.run(try OrgBatchBinary.path(), ["whoami", "--profile", "prod"], environment: environment)
        #expect(missing.stderr.contains("run: aws sso login --sso-session corp"), "\(missing.stderr)")
        #expect(try aws.count("sso_role_credentials") == 0)
    }

    @Test func aTokenAboutToExpireIsRefreshedAndTheCacheUpdated() throws {
        let aws = try FaultyAWS(["orgs": 1, "accounts": 2, "latency_ms": 1, "credentials": ["sso": ["refresh_tokens": ["refresh-1"]]]])
        let file = try Self.ssoLogin(aws, key: "corp", token: "stale-access", expiresIn: 120, refreshToken: "refresh-1")
        let environment = Self.environment(aws, ["AWS_CONFIG_FILE": try Self.ssoConfig(aws)])
        let line = try Self.whoami(environment, ["--profile", "prod"])
        #expect(line["account"] as? String == Self.managementAccount)
        #expect(try aws.count("sso_refresh") == 1)
        let cached = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: Any]
        #expect((cached["accessToken"] as? String)?.hasPrefix("sso-access-") == true)
        #expect((cached["refreshToken"] as? String)?.hasPrefix("sso-refresh-") == true)
        #expect(cached["clientId"] as? String == "orgbatch-test-client")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/setsid"), "needs util-linux's setsid"))
    func anMFAProfileWithoutATerminalFailsClearly() throws {
        let aws = try FaultyAWS(["orgs": 1, "accounts": 2, "latency_ms": 1])
        let config = aws.folder.appendingPathComponent("mfa-config").path
        try """
            [profile hub]
            aws_access_key_id = AKIA\(Self.managementAccount)
            aws_secret_access_key = hub-secret

            [profile prod]
            role_arn = arn:aws:iam::\(Self.managementAccount):role/Admin
            source_profile = hub
            mfa_serial = arn:aws:iam::\(Self.managementAccount):mfa/alice
            """.write(toFile: config, atomically: true, encoding: .utf8)
        // setsid: a new session has no controlling terminal, as under cron.
        let result = try LocalAWS.run(
            "/usr/bin/env", ["setsid", "--wait", try OrgBatchBinary.path(), "whoami", "--profile", "prod"],
            environment: Self.environment(aws, ["AWS_CONFIG_FILE": config]))
        #expect(result.status != 0)
        #expect(result.stderr.contains("profile 'prod' needs an MFA code"), "\(result.stderr)")
        #expect(try aws.count("requests") == 0)
    }

    /// Credentials that live one second, in a run of several seconds: refreshed as they run
    /// out, one fetch at a time for all the workers, and no task fails.
    @Test func aRunThatOutlivesItsCredentials() throws {
        let lifetime = 1.0
        let aws = try FaultyAWS(["orgs": 1, "accounts": 120, "latency_ms": 15, "trusted": true, "credentials": ["lifetime_s": lifetime]])
        let config = aws.folder.appendingPathComponent("container-config").path
        try "[profile org0]\nregion = us-east-1\n".write(toFile: config, atomically: true, encoding: .utf8)
        let job = try aws.job(ResilienceIntegrationTests.contact)
        let environment = Self.environment(aws, [
            "AWS_CONFIG_FILE": config, "AWS_CONTAINER_CREDENTIALS_FULL_URI": aws.endpoint + "/container/creds",
        ])
        let started = Date()
        let result = try LocalAWS.run(
            try OrgBatchBinary.path(), ["run", job, "--no-progress", "--no-lock", "--concurrency", "8"], environment: environment)
        let seconds = Date().timeIntervalSince(started)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = ResilienceIntegrationTests.parse(result.stdout)
        #expect(lines.count == 121)
        #expect(lines.allSatisfy { $0["status"] as? String == "changed" })
        let fetches = try aws.count("container_credentials")
        #expect(seconds > 2 * lifetime, "the run must outlive the credentials to prove anything")
        #expect(fetches >= 2)
        #expect(Double(fetches) <= seconds / lifetime + 3, "\(fetches) fetches in \(seconds) s: not one at a time")
        // Refreshed ahead of expiry: at most a request in flight at the turn is refused (and retried).
        #expect(try aws.count("expired_rejections") <= fetches)
    }
}

/// Role chains whose source is each kind of credential: orgbatch and botocore call the same
/// stand-in STS with the same source credentials and get the same role credentials.
@Suite("Role chains as the aws CLI resolves them")
struct RoleChainParityTests {
    @Test func everySourceOfARoleChain() throws {
        let account = CredentialSourcesIntegrationTests.managementAccount
        let aws = try FaultyAWS([
            "orgs": 1, "accounts": 2, "latency_ms": 1,
            "credentials": ["stable": true, "sso": ["tokens": ["corp-access"]]],
        ])
        _ = try CredentialSourcesIntegrationTests.ssoLogin(aws, key: "corp", token: "corp-access", expiresIn: 8 * 3600)
        let config = aws.folder.appendingPathComponent("roles-config").path
        let role = "role_arn = arn:aws:iam::700000001000:role/OrganizationAccountAccessRole\nrole_session_name = parity"
        try """
            [profile hub]
            aws_access_key_id = AKIA\(account)
            aws_secret_access_key = hub-secret

            [sso-session corp]
            sso_start_url = https://corp.awsapps.com/start
            sso_region = us-east-1

            [profile sso]
            sso_session = corp
            sso_account_id = \(account)
            sso_role_name = OrgAdmin

            [profile from-keys]
            \(role)
            source_profile = hub

            [profile from-sso]
            \(role)
            source_profile = sso

            [profile from-imds]
            \(role)
            credential_source = Ec2InstanceMetadata

            [profile from-container]
            \(role)
            credential_source = EcsContainer
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let environment = CredentialSourcesIntegrationTests.environment(aws, [
            "AWS_CONFIG_FILE": config, "AWS_EC2_METADATA_SERVICE_ENDPOINT": aws.endpoint, "AWS_EC2_METADATA_DISABLED": "false",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": aws.endpoint + "/container/creds",
        ])
        let expected = ["ASIA700000001000000000", "standin-secret-700000001000-0", "standin-token-700000001000-0"]
        for profile in ["from-keys", "from-sso", "from-imds", "from-container"] {
            let line = try CredentialSourcesIntegrationTests.whoami(environment, ["--profile", profile])
            #expect(line["account"] as? String == "700000001000", "\(profile)")
            #expect(try CredentialSourcesIntegrationTests.botocore(environment, profile: profile) == expected, "\(profile)")
        }
        #expect(try aws.count("assume_role") == 8)
    }
}
