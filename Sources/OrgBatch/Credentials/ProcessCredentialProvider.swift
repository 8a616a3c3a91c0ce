import Foundation

/// Credentials from a profile's `credential_process`: the command prints
/// `{"Version": 1, "AccessKeyId": …, "SecretAccessKey": …, "SessionToken": …, "Expiration": …}`
/// (the AWS CLI's format; token and expiration optional). Credentials with an expiration are
/// cached and fetched again before they expire, with the same windows as assumed roles; one
/// worker runs the command while the others wait.
///
/// A failing command's standard error is shown in the error, never its standard output, which
/// may hold secrets.
public final class ProcessCredentialProvider: CredentialProvider {
    public let commandLine: String
    let profile: String
    let runner: any ProcessRunner
    let environment: [String: String]
    let clock: any WallClock
    private let cache: CredentialCache<Void>

    public init(
        commandLine: String, profile: String, runner: any ProcessRunner = SystemProcessRunner(),
        environment: [String: String], clock: any WallClock = SystemClock()
    ) {
        self.commandLine = commandLine
        self.profile = profile
        self.runner = runner
        self.environment = environment
        self.clock = clock
        cache = CredentialCache(clock: clock)
    }

    public func credentials() throws(AWSError) -> AWSCredentials {
        try cache.credentials { () throws(AWSError) in try fetch() }
    }

    public func invalidate(ifAccessKeyID accessKeyID: String?) {
        cache.invalidate(ifAccessKeyID: accessKeyID)
    }

    public var description: String { "credential_process of profile '\(profile)'" }

    private func failure(_ message: String) -> AWSError {
        AWSError(
            origin: .credentials, service: .sts, operation: "credential_process", code: "credentials.process-failed",
            message: "profile '\(profile)': credential_process \(message)", classification: .terminal)
    }

    /// Runs the command and reads its answer.
    func fetch() throws(AWSError) -> AWSCredentials {
        let words = SharedConfig.headerWords(commandLine)
        guard !words.isEmpty else { throw failure("is empty") }
        let result: (status: Int32, stdout: Data, stderr: Data)
        do {
            result = try runner.run(words, environment: environment)
        } catch {
            throw failure("could not be started (\(words[0])): \(error.localizedDescription)")
        }
        guard result.status == 0 else {
            let stderr = String(decoding: result.stderr, as: UTF8.self).trimmingSpaces()
            throw failure("exited with status \(result.status)" + (stderr.isEmpty ? "" : ": \(stderr.prefix(500))"))
        }
        return try Self.parse(result.stdout, failure: failure)
    }

    /// The AWS CLI's `credential_process` output, version 1.
    static func parse(_ output: Data, failure: (String) -> AWSError) throws(AWSError) -> AWSCredentials {
        guard let object = (try? JSONSerialization.jsonObject(with: output)) as? [String: Any] else {
            throw failure("did not print a JSON object")
        }
        guard (object["Version"] as? Int) == 1 else {
            throw failure("printed Version \(object["Version"].map { "\($0)" } ?? "nothing"); only Version 1 is known")
        }
        guard let keyID = object["AccessKeyId"] as? String, !keyID.isEmpty,
            let secret = object["SecretAccessKey"] as? String, !secret.isEmpty
        else {
            throw failure("printed no AccessKeyId or SecretAccessKey")
        }
        var expiration: Date?
        if let text = object["Expiration"] as? String {
            guard let date = STSClient.parseTimestamp(text) else {
                throw failure("printed an Expiration that is not an ISO 8601 time")
            }
            expiration = date
        }
        return AWSCredentials(
            accessKeyID: keyID, secretAccessKey: secret, sessionToken: object["SessionToken"] as? String,
            expiration: expiration)
    }
}
