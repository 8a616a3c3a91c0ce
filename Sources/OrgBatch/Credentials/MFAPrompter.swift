import Foundation
import Synchronization

/// Asks the person at the keyboard for an MFA code, for a profile with `mfa_serial`.
public protocol MFAPrompter: Sendable {
    /// - Parameters:
    ///   - serial: the MFA device (`mfa_serial`).
    ///   - profile: the profile that asks, for the prompt.
    /// - Throws: `credentials.mfa-no-terminal` when nobody can be asked (cron, CI).
    func code(serial: String, profile: String) throws(AWSError) -> String
}

/// Prompts on the controlling terminal (`/dev/tty`), as the aws CLI does, so that the
/// report on standard output and any redirection are untouched. One prompt at a time,
/// however many organizations need a code at once.
public struct TerminalMFAPrompter: MFAPrompter {
    /// Serialises prompts: two at once would interleave on the terminal.
    private static let terminal = Mutex(())
    /// Where the code is read from and the prompt written to; the terminal but in tests.
    let inputPath: String
    let outputPath: String

    public init(inputPath: String = "/dev/tty", outputPath: String = "/dev/tty") {
        self.inputPath = inputPath
        self.outputPath = outputPath
    }

    public func code(serial: String, profile: String) throws(AWSError) -> String {
        try Self.terminal.withLock { _ throws(AWSError) -> String in
            guard let input = fopen(inputPath, "r"), let output = fopen(outputPath, "a") ?? { fclose(input); return nil }()
            else {
                throw AWSError(
                    origin: .credentials, service: .sts, operation: "AssumeRole", code: "credentials.mfa-no-terminal",
                    message: "profile '\(profile)' needs an MFA code (mfa_serial = \(serial)) and there is no terminal "
                        + "to ask on; run orgbatch from a terminal, or use a profile without mfa_serial for unattended runs",
                    classification: .terminal)
            }
            defer {
                fclose(input)
                fclose(output)
            }
            fputs("Enter MFA code for \(serial) (profile '\(profile)'): ", output)
            fflush(output)
            // Not echoed, as getpass does (on a terminal; a file in tests has no echo to turn off).
            let descriptor = fileno(input)
            var saved = termios()
            let isTerminal = isatty(descriptor) == 1 && tcgetattr(descriptor, &saved) == 0
            if isTerminal {
                var quiet = saved
                quiet.c_lflag &= ~tcflag_t(ECHO)
                tcsetattr(descriptor, TCSAFLUSH, &quiet)
            }
            var buffer = [CChar](repeating: 0, count: 64)
            let line = fgets(&buffer, Int32(buffer.count), input).map { _ in
                String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            if isTerminal {
                tcsetattr(descriptor, TCSAFLUSH, &saved)
                fputs("\n", output)
                fflush(output)
            }
            let code = (line ?? "").trimmingSpaces()
            guard !code.isEmpty else {
                throw AWSError(
                    origin: .credentials, service: .sts, operation: "AssumeRole", code: "credentials.mfa-no-code",
                    message: "profile '\(profile)': no MFA code was entered for \(serial)", classification: .terminal)
            }
            return code
        }
    }
}
