import Foundation
import OrgBatch
import OrgBatchCurl
import Testing

@Suite("Bad credentials and secrets, against the local AWS", .serialized)
struct CredentialsIntegrationTests {
    let seed: Seed
    let secret: String
    let badConfigFolder: URL

    init() throws {
        seed = try LocalAWS.seed(["orgs": [["name": "west", "accounts": [["name": "w1", "email": "w1@west.example.com"]]]]])
        // The base user's real secret, and a copy of the files with a wrong one.
        let credentials = try String(contentsOfFile: seed.credentialsFile, encoding: .utf8)
        secret = credentials.split(separator: "\n").first { $0.hasPrefix("aws_secret_access_key") }!
            .split(separator: "=", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)
        badConfigFolder = seed.folder.appendingPathComponent("bad")
        try FileManager.default.createDirectory(at: badConfigFolder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: seed.configFile, toPath: badConfigFolder.appendingPathComponent("config").path)
        try credentials.replacingOccurrences(of: secret, with: "WRONG" + secret.dropFirst(5))
            .write(to: badConfigFolder.appendingPathComponent("credentials"), atomically: true, encoding: .utf8)
    }

    var badEnvironment: [String: String] {
        [
            "AWS_CONFIG_FILE": badConfigFolder.appendingPathComponent("config").path,
            "AWS_SHARED_CREDENTIALS_FILE": badConfigFolder.appendingPathComponent("credentials").path,
        ]
    }

    @Test func aWrongSecretFailsWithASignatureError() throws {
        // Directly with the base keys (STS answers in XML)...
        let sts = try Clients(profile: "base", environment: badEnvironment).sts
        #expect {
            _ = try sts.getCallerIdentity()
        } throws: { error in
            let error = error as! AWSError
            return error.code == "SignatureDoesNotMatch" && error.httpStatus == 403 && error.classification == .terminal
                && !"\(error)".contains(secret)
        }
        // ...and through a role: AssumeRole is refused, and the error names the profile.
        let organizations = try Clients(profile: "west", environment: badEnvironment).organizations
        #expect {
            _ = try organizations.describeOrganization()
        } throws: { error in
            let error = error as! AWSError
            return error.code == "SignatureDoesNotMatch" && error.service == .sts && error.operation == "AssumeRole"
                && error.message.contains("profile 'west'")
        }
    }

    @Test func theJSONServicesSayInvalidSignature() throws {
        // A wrong secret used on Organizations directly: AWS's JSON services answer
        // InvalidSignatureException.
        let organizations = try Clients(profile: "base", environment: badEnvironment).organizations
        #expect {
            _ = try organizations.listRoots()
        } throws: { error in
            let error = error as! AWSError
            return error.code == "InvalidSignatureException" && error.message.contains("signature")
        }
    }

    @Test func theCommandLineNeverPrintsASecret() throws {
        let binary = try OrgBatchBinary.path()
        let good = try LocalAWS.run(binary, ["whoami", "--profile", "west"], environment: seed.environment)
        #expect(good.status == 0, "\(good.stderr)")
        let line = try #require(try JSONSerialization.jsonObject(with: Data(good.stdout.utf8)) as? [String: Any])
        #expect(line["account"] as? String == seed.org("west").managementAccountId)
        #expect((line["organization"] as? [String: Any])?["isManagementAccount"] as? Bool == true)

        let bad = try LocalAWS.run(binary, ["whoami", "--profile", "west"], environment: badEnvironment)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("SignatureDoesNotMatch"))

        let envKeys = try LocalAWS.run(
            binary, ["whoami"],
            environment: ["AWS_ACCESS_KEY_ID": "AKIAEXAMPLEEXAMPLE", "AWS_SECRET_ACCESS_KEY": "envsecret-do-not-print",
                "AWS_SESSION_TOKEN": "envtoken-do-not-print", "AWS_ENDPOINT_URL": seed.endpoint, "HOME": seed.folder.path])
        #expect(envKeys.status == 1)

        let missing = try LocalAWS.run(binary, ["whoami", "--profile", "nope"], environment: seed.environment)
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("profile 'nope' not found"))
        #expect(missing.stderr.contains(seed.configFile))

        for output in [good, bad, envKeys, missing] {
            for text in [output.stdout, output.stderr] {
                #expect(!text.contains(secret))
                #expect(!text.contains("WRONG"))
                #expect(!text.contains("envsecret-do-not-print"))
                #expect(!text.contains("envtoken-do-not-print"))
                #expect(!text.contains("Authorization"))
                #expect(!text.contains("AWS4-HMAC-SHA256"))
            }
        }
    }
}
