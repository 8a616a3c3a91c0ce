import Foundation
import Synchronization
import Testing

@testable import OrgBatch

/// Answers MFA prompts from a list, recording who asked.
final class ScriptedMFAPrompter: MFAPrompter {
    private let state: Mutex<(codes: [String], asked: [String])>

    init(_ codes: [String]) {
        state = Mutex((codes, []))
    }

    func code(serial: String, profile: String) throws(AWSError) -> String {
        state.withLock { state in
            state.asked.append("\(profile) \(serial)")
            return state.codes.removeFirst()
        }
    }

    var asked: [String] { state.withLock { $0.asked } }
}

@Suite("MFA: a code for every AssumeRole of an mfa_serial profile")
struct MFAPrompterTests {
    static let config = """
        [profile hub]
        aws_access_key_id = AKIAHUB
        aws_secret_access_key = hub-secret

        [profile prod]
        role_arn = arn:aws:iam::111111111111:role/Admin
        source_profile = hub
        mfa_serial = arn:aws:iam::999999999999:mfa/alice
        """

    let transport = ScriptedTransport()
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))

    func resolver(_ prompter: any MFAPrompter) throws -> ProfileResolver {
        var resolver = ProfileResolver(
            environment: [:],
            config: SharedConfig(config: try ConfigFile.parse(Self.config, path: "/c/config"), credentials: nil),
            transportFactory: ScriptedTransportFactory(transport: transport), clock: clock,
            retryPolicy: StandardRetryPolicy(maxAttempts: 1))
        resolver.mfaPrompter = prompter
        return resolver
    }

    func answer(_ keyID: String) -> ScriptedTransport.Step {
        STSResponses.assumeRole(
            keyID: keyID, secret: "s", token: "t", expiration: ISO8601DateFormatter().string(from: clock.now() + 3600))
    }

    @Test func theCodeGoesWithTheAssumeRoleAndIsAskedAgainAtRefresh() throws {
        let prompter = ScriptedMFAPrompter(["123456", "654321"])
        let provider = try resolver(prompter).resolve(profile: "prod").credentials
        transport.enqueue(answer("ASIA1"))
        transport.enqueue(answer("ASIA2"))
        #expect(try provider.credentials().accessKeyID == "ASIA1")
        #expect(try provider.credentials().accessKeyID == "ASIA1")  // cached: no second prompt
        clock.advance(55 * 60)
        #expect(try provider.credentials().accessKeyID == "ASIA2")
        #expect(prompter.asked == ["prod arn:aws:iam::999999999999:mfa/alice", "prod arn:aws:iam::999999999999:mfa/alice"])
        let form = transport.sent[0].bodyText
        #expect(form.contains("SerialNumber=arn%3Aaws%3Aiam%3A%3A999999999999%3Amfa%2Falice"))
        #expect(form.contains("TokenCode=123456"))
        #expect(transport.sent[1].bodyText.contains("TokenCode=654321"))
    }

    @Test func twoOrganizationsOnTheSameProfileAskOnce() throws {
        let prompter = ScriptedMFAPrompter(["123456"])
        let resolver = try resolver(prompter)
        transport.enqueue(answer("ASIA1"))
        _ = try resolver.resolve(profile: "prod").credentials.credentials()
        _ = try resolver.resolve(profile: "prod").credentials.credentials()
        #expect(prompter.asked.count == 1)
    }

    @Test func withoutATerminalTheRunFailsClearlyAndSendsNothing() throws {
        let provider = try resolver(TerminalMFAPrompter(inputPath: "/nonexistent/tty")).resolve(profile: "prod").credentials
        #expect {
            _ = try provider.credentials()
        } throws: { error in
            let error = error as! AWSError
            return error.code == "credentials.mfa-no-terminal"
                && error.message.contains("profile 'prod' needs an MFA code (mfa_serial = arn:aws:iam::999999999999:mfa/alice)")
                && error.message.contains("unattended")
        }
        #expect(transport.sent.isEmpty)
    }

    @Test func theTerminalPromptReadsOneLine() throws {
        let folder = Fixtures.temporaryDirectory()
        let keyboard = folder.appendingPathComponent("keyboard")
        let screen = folder.appendingPathComponent("screen")
        try " 246810 \n".write(to: keyboard, atomically: true, encoding: .utf8)
        let prompter = TerminalMFAPrompter(inputPath: keyboard.path, outputPath: screen.path)
        #expect(try prompter.code(serial: "arn:mfa", profile: "p") == "246810")
        #expect(try String(contentsOf: screen, encoding: .utf8) == "Enter MFA code for arn:mfa (profile 'p'): ")
    }
}
