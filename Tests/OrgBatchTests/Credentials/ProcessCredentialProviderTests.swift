import Foundation
import Synchronization
import Testing

@testable import OrgBatch

/// A `ProcessRunner` that answers from a script and records the commands it ran.
final class ScriptedProcessRunner: ProcessRunner, @unchecked Sendable {
    // @unchecked Sendable: `state` is the only mutable field, guarded by its Mutex.
    private let state: Mutex<(answers: [(Int32, String, String)], ran: [[String]])>

    init(_ answers: [(status: Int32, stdout: String, stderr: String)]) {
        state = Mutex((answers.map { ($0.status, $0.stdout, $0.stderr) }, []))
    }

    func run(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, stdout: Data, stderr: Data) {
        let answer = state.withLock { state in
            state.ran.append(arguments)
            return state.answers.isEmpty ? (127, "", "no answer left") : state.answers.removeFirst()
        }
        return (answer.0, Data(answer.1.utf8), Data(answer.2.utf8))
    }

    var ran: [[String]] { state.withLock { $0.ran } }
}

@Suite("credential_process")
struct ProcessCredentialProviderTests {
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))

    func output(_ keyID: String, expiresIn seconds: Double?) -> String {
        var object: [String: Any] = ["Version": 1, "AccessKeyId": keyID, "SecretAccessKey": "secret-\(keyID)", "SessionToken": "token-\(keyID)"]
        if let seconds { object["Expiration"] = ISO8601DateFormatter().string(from: clock.now() + seconds) }
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    func provider(_ runner: ScriptedProcessRunner, command: String = "/opt/bin/get-creds --account 'prod one'") -> ProcessCredentialProvider {
        ProcessCredentialProvider(commandLine: command, profile: "prod", runner: runner, environment: ["HOME": "/h"], clock: clock)
    }

    @Test func runsTheCommandSplitIntoWordsAndReadsVersion1() throws {
        let runner = ScriptedProcessRunner([(0, output("ASIAPROC", expiresIn: 3600), "")])
        let credentials = try provider(runner).credentials()
        #expect(credentials.accessKeyID == "ASIAPROC")
        #expect(credentials.signing.secretAccessKey == "secret-ASIAPROC")
        #expect(credentials.signing.sessionToken == "token-ASIAPROC")
        #expect(credentials.expiration == clock.now() + 3600)
        #expect(runner.ran == [["/opt/bin/get-creds", "--account", "prod one"]])
    }

    @Test func longTermKeysAreKeptForTheRun() throws {
        let runner = ScriptedProcessRunner([(0, output("AKIALONG", expiresIn: nil), "")])
        let provider = provider(runner)
        _ = try provider.credentials()
        clock.advance(86_400)
        #expect(try provider.credentials().accessKeyID == "AKIALONG")
        #expect(runner.ran.count == 1)
    }

    @Test func refreshedBeforeExpiryAndKeptWhenAnAdvisoryRefreshFails() throws {
        let runner = ScriptedProcessRunner([
            (0, output("ASIA1", expiresIn: 3600), ""), (1, "", "token service down"), (0, output("ASIA2", expiresIn: 3600), ""),
        ])
        let provider = provider(runner)
        _ = try provider.credentials()
        clock.advance(3600 - 12 * 60)  // advisory window
        #expect(try provider.credentials().accessKeyID == "ASIA1")
        #expect(try provider.credentials().accessKeyID == "ASIA2")
        #expect(runner.ran.count == 3)
    }

    @Test("bad output is a clear error", arguments: [
        ("not json", "did not print a JSON object"),
        (#"{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S"}"#, "only Version 1 is known"),
        (#"{"Version": 1, "AccessKeyId": "A"}"#, "no AccessKeyId or SecretAccessKey"),
        (#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "soon"}"#, "not an ISO 8601 time"),
    ])
    func badOutput(stdout: String, message: String) {
        let runner = ScriptedProcessRunner([(0, stdout, "")])
        #expect {
            _ = try provider(runner).credentials()
        } throws: { error in
            let error = error as! AWSError
            return error.code == "credentials.process-failed" && error.message.contains(message)
                && error.message.contains("profile 'prod'")
        }
    }

    @Test func aFailingCommandShowsItsStandardErrorNeverItsOutput() {
        let runner = ScriptedProcessRunner([(3, #"{"SecretAccessKey": "do-not-show-me"}"#, "sso session expired; run login")])
        #expect {
            _ = try provider(runner).credentials()
        } throws: { error in
            let text = "\(error)"
            return text.contains("exited with status 3: sso session expired; run login") && !text.contains("do-not-show-me")
        }
    }

    @Test func aCommandThatWillNotStart() {
        let provider = ProcessCredentialProvider(
            commandLine: "/nonexistent/get-creds", profile: "prod", environment: [:], clock: clock)
        #expect {
            _ = try provider.credentials()
        } throws: { ($0 as! AWSError).message.contains("could not be started (/nonexistent/get-creds)") }
    }

    @Test func aRealCommand() throws {
        let folder = Fixtures.temporaryDirectory()
        let script = folder.appendingPathComponent("creds.sh")
        try """
            #!/bin/sh
            echo "called with $1" >&2
            printf '{"Version": 1, "AccessKeyId": "AKIASCRIPT", "SecretAccessKey": "script-secret"}'
            """.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let provider = ProcessCredentialProvider(commandLine: "\(script.path) prod", profile: "prod", environment: [:], clock: clock)
        #expect(try provider.credentials().accessKeyID == "AKIASCRIPT")
    }

    @Test func whereItStandsAmongAProfilesSources() throws {
        let config = try ConfigFile.parse(
            """
            [profile process]
            credential_process = /bin/creds process

            [profile config-keys-and-process]
            aws_access_key_id = AKIACONFIG
            aws_secret_access_key = configsecret
            credential_process = /bin/creds both

            [profile file-keys-and-process]
            credential_process = /bin/creds file

            [profile role-from-process]
            role_arn = arn:aws:iam::111111111111:role/R
            source_profile = process
            """, path: "/c/config")
        let credentials = try ConfigFile.parse(
            "[file-keys-and-process]\naws_access_key_id = AKIAFILE\naws_secret_access_key = filesecret\n", path: "/c/credentials")
        var resolver = ProfileResolver(
            environment: [:], config: SharedConfig(config: config, credentials: credentials),
            transportFactory: ScriptedTransportFactory(transport: ScriptedTransport()), clock: clock)
        let runner = ScriptedProcessRunner((0..<3).map { _ in (0, output("ASIAPROC", expiresIn: 3600), "") })
        resolver.processRunner = runner
        #expect(try resolver.resolve(profile: "process").credentials is ProcessCredentialProvider)
        // botocore: keys in the credentials file, then credential_process, then keys in the config file.
        #expect(try resolver.resolve(profile: "file-keys-and-process").credentials.credentials().accessKeyID == "AKIAFILE")
        #expect(try resolver.resolve(profile: "config-keys-and-process").credentials is ProcessCredentialProvider)
        let role = try resolver.resolve(profile: "role-from-process").credentials as! AssumeRoleCredentialProvider
        #expect("\(role)" == "role arn:aws:iam::111111111111:role/R from credential_process of profile 'process'")
    }
}
