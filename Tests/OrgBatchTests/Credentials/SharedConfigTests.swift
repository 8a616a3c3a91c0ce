import Foundation
import Testing

@testable import OrgBatch

@Suite("Merging the config and credentials files")
struct SharedConfigTests {
    static func shared(config: String, credentials: String = "") throws -> SharedConfig {
        SharedConfig(
            config: try ConfigFile.parse(config, path: "config"),
            credentials: try ConfigFile.parse(credentials, path: "credentials"))
    }

    @Test func profileNamesPerFile() throws {
        let shared = try Self.shared(
            config: """
                [default]
                region = eu-west-1
                [profile dev]
                region = us-east-2
                [profile "with space"]
                region = ap-south-1
                [profileX]
                region = ignored
                [sso-session corp]
                sso_region = us-east-1
                [services local]
                sts =
                  endpoint_url = http://127.0.0.1:1
                """,
            credentials: """
                [dev]
                aws_access_key_id = AKIADEV
                aws_secret_access_key = s
                region = us-west-1
                [profile odd]
                aws_access_key_id = AKIAODD
                """)
        #expect(shared.profileNames == ["default", "dev", "profile odd", "with space"])
        // The credentials file wins for the same setting.
        #expect(shared.profiles["dev"]?["region"]?.value == "us-west-1")
        #expect(shared.profiles["dev"]?["region"]?.file == "credentials")
        #expect(shared.profiles["dev"]?["aws_access_key_id"]?.value == "AKIADEV")
        #expect(shared.ssoSessions["corp"]?["sso_region"]?.value == "us-east-1")
        #expect(shared.services["local"]?["sts"]?.nested["endpoint_url"] == "http://127.0.0.1:1")
    }

    @Test func laterDefaultSectionWins() throws {
        let shared = try Self.shared(config: "[default]\nregion = a\noutput = json\n[profile default]\nregion = b\n")
        #expect(shared.profiles["default"]?["region"]?.value == "b")
        #expect(shared.profiles["default"]?["output"] == nil)
    }

    @Test func loadReadsTheFilesTheEnvironmentNames() throws {
        let folder = Fixtures.temporaryDirectory()
        let config = folder.appendingPathComponent("cfg")
        try "[profile a]\nregion = us-east-1\n".write(to: config, atomically: true, encoding: .utf8)
        let shared = try SharedConfig.load(environment: [
            "AWS_CONFIG_FILE": config.path,
            "AWS_SHARED_CREDENTIALS_FILE": folder.appendingPathComponent("nope").path,
        ])
        #expect(shared.profileNames == ["a"])
        #expect(shared.filesRead == [config.path, folder.appendingPathComponent("nope").path + " (missing)"])
    }

    @Test func homeIsExpanded() {
        #expect(SharedConfig.path(nil, default: "~/.aws/config", ["HOME": "/h"]) == "/h/.aws/config")
        #expect(SharedConfig.path("", default: "~/.aws/config", ["HOME": "/h"]) == "/h/.aws/config")
        #expect(SharedConfig.path("/etc/x", default: "~/.aws/config", ["HOME": "/h"]) == "/etc/x")
    }

    @Test func headerWords() {
        #expect(SharedConfig.headerWords("profile  dev") == ["profile", "dev"])
        #expect(SharedConfig.headerWords("profile \"my dev\"") == ["profile", "my dev"])
        #expect(SharedConfig.headerWords("profile a b") == ["profile", "a", "b"])
    }
}
