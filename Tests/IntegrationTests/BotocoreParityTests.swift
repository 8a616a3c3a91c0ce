import Foundation
import OrgBatch
import OrgBatchCurl
import Testing

/// The same profiles resolved by orgbatch and by botocore (the aws CLI's library), for the
/// sources that resolve offline: the same credentials come out.
@Suite("Credentials as the aws CLI resolves them")
struct BotocoreParityTests {
    static let profiles = ["file-keys", "config-keys", "process", "file-keys-and-process", "config-keys-and-process", "token"]

    @Test func theSameCredentialsAsBotocore() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("orgbatch-parity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = folder.appendingPathComponent("creds.sh")
        try """
            #!/bin/sh
            printf '{"Version": 1, "AccessKeyId": "AKIAPROC%s", "SecretAccessKey": "process-secret-%s", "SessionToken": "process-token"}' "$1" "$1"
            """.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let config = folder.appendingPathComponent("config").path
        let credentials = folder.appendingPathComponent("credentials").path
        try """
            [profile config-keys]
            aws_access_key_id = AKIACONFIGKEYS
            aws_secret_access_key = config-secret

            [profile process]
            credential_process = \(script.path) ONE

            [profile file-keys-and-process]
            credential_process = \(script.path) TWO

            [profile config-keys-and-process]
            aws_access_key_id = AKIACONFIGBOTH
            aws_secret_access_key = config-both-secret
            credential_process = \(script.path) THREE
            """.write(toFile: config, atomically: true, encoding: .utf8)
        try """
            [file-keys]
            aws_access_key_id = AKIAFILEKEYS
            aws_secret_access_key = file-secret

            [file-keys-and-process]
            aws_access_key_id = AKIAFILEBOTH
            aws_secret_access_key = file-both-secret

            [token]
            aws_access_key_id = ASIATOKEN
            aws_secret_access_key = token-secret
            aws_session_token = the-token
            """.write(toFile: credentials, atomically: true, encoding: .utf8)
        let environment = ["AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": credentials, "HOME": folder.path]

        let python = """
            import json, sys, botocore.session
            out = {}
            for name in sys.argv[1:]:
                c = botocore.session.Session(profile=name).get_credentials().get_frozen_credentials()
                out[name] = [c.access_key, c.secret_key, c.token]
            print(json.dumps(out))
            """
        let result = try LocalAWS.run(
            "/usr/bin/env", ["python3", "-c", python] + Self.profiles,
            environment: environment.merging(["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]) { $1 })
        #expect(result.status == 0, "\(result.stderr)")
        let botocore = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: [Any]]

        let resolver = ProfileResolver(
            environment: environment, config: try SharedConfig.load(environment: environment),
            transportFactory: CurlTransportFactory())
        for name in Self.profiles {
            let ours = try resolver.resolve(profile: name).credentials.credentials()
            let theirs = try #require(botocore[name])
            #expect(ours.accessKeyID == theirs[0] as? String, "\(name)")
            #expect(ours.signing.secretAccessKey == theirs[1] as? String, "\(name)")
            #expect(ours.signing.sessionToken == theirs[2] as? String, "\(name)")
        }
    }
}

/// Web identity end to end: no config file, only the variables a Kubernetes pod gets.
@Suite("Web identity against a stand-in STS")
struct WebIdentityIntegrationTests {
    @Test func aPodWithOnlyEnvironmentVariables() throws {
        let aws = try FaultyAWS(["orgs": 1, "accounts": 2, "latency_ms": 1])
        let token = aws.folder.appendingPathComponent("token").path
        try "eyJ.pod-token.sig".write(toFile: token, atomically: true, encoding: .utf8)
        let environment = [
            "AWS_WEB_IDENTITY_TOKEN_FILE": token, "AWS_ROLE_ARN": "arn:aws:iam::700000000000:role/OrgBatch",
            "AWS_ROLE_SESSION_NAME": "nightly", "AWS_ENDPOINT_URL": aws.endpoint, "AWS_REGION": "us-east-1",
            "AWS_CONFIG_FILE": aws.folder.appendingPathComponent("none").path, "HOME": aws.folder.path,
        ]
        let whoami = try LocalAWS.run(try OrgBatchBinary.path(), ["whoami"], environment: environment)
        #expect(whoami.status == 0, "\(whoami.stderr)")
        let line = try JSONSerialization.jsonObject(with: Data(whoami.stdout.utf8)) as! [String: Any]
        #expect(line["account"] as? String == "700000000000")
        #expect((line["credentialSource"] as? String)?.contains("web identity role arn:aws:iam::700000000000:role/OrgBatch") == true)
        #expect(!whoami.stdout.contains("pod-token") && !whoami.stderr.contains("pod-token"))
        #expect(try aws.count("web_identity") == 1)
        #expect(try aws.count("web_identity_signed") == 0)

        // botocore, with the same variables, gets the same credentials.
        let python = """
            import json, botocore.session
            c = botocore.session.Session().get_credentials().get_frozen_credentials()
            print(json.dumps([c.access_key, c.secret_key, c.token]))
            """
        let botocore = try LocalAWS.run(
            "/usr/bin/env", ["python3", "-c", python],
            environment: environment.merging(["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]) { $1 })
        #expect(botocore.status == 0, "\(botocore.stderr)")
        let theirs = try JSONSerialization.jsonObject(with: Data(botocore.stdout.utf8)) as! [String]
        #expect(theirs == ["AKIA700000000000", "web-secret-700000000000", "web-token-700000000000"])
    }
}
