import ArgumentParser
import OrgBatch

/// The flags `plan` and `run` share.
struct JobFlags: ParsableArguments {
    @Argument(help: "The job file (YAML, or JSON).")
    var job: String

    @Option(help: ArgumentHelp("Write the JSON-lines report to this file.", valueName: "file"))
    var report: String?

    @Option(name: .customLong("org"), help: ArgumentHelp("Only this organization (repeat for more).", valueName: "name"))
    var orgs: [String] = []

    @Option(help: "Take the K-th of N deterministic shares of the organizations (K from 1).")
    var shard: String?

    @Option(help: "Worker threads, each with its own connection.")
    var concurrency = RunOptions.defaultConcurrency

    @Option(help: "Use this profile instead of the job's (with a single --org).")
    var profile: String?

    @Option(help: "Send every request to this endpoint (https, or http to a loopback address).")
    var endpointURL: String?

    @Flag(help: "Replace contact names, emails and phone numbers in the report with a stable hash.")
    var redact = false

    @Option(help: "Attempts per request, retries included (default: AWS_MAX_ATTEMPTS, else 3).")
    var maxAttempts: Int?

    @Option(help: ArgumentHelp("Seconds to wait for a connection.", valueName: "seconds"))
    var connectTimeout: Double = 5

    @Option(help: ArgumentHelp("Seconds a whole request may take.", valueName: "seconds"))
    var requestTimeout: Double = 30

    @Option(help: ArgumentHelp("error, warn, info or debug.", valueName: "level"))
    var logLevel: LogLevel = .info

    @Flag(help: "Say nothing on standard error but errors.")
    var quiet = false

    @Flag(inversion: .prefixedNo, help: "Show a progress line on standard error (default: when it is a terminal).")
    var progress: Bool?

    func validate() throws {
        guard (1...512).contains(concurrency) else { throw ValidationError("--concurrency must be from 1 to 512") }
        guard connectTimeout > 0, requestTimeout > 0 else { throw ValidationError("timeouts must be positive") }
        if let maxAttempts, !(1...20).contains(maxAttempts) { throw ValidationError("--max-attempts must be from 1 to 20") }
        _ = try parsedShard()
    }

    func parsedShard() throws -> (index: Int, count: Int)? {
        guard let shard else { return nil }
        let parts = shard.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index)
        else {
            throw ValidationError("--shard takes K/N with 1 <= K <= N, for example 2/4")
        }
        return (index, count)
    }

    func runOptions(mode: RunMode, environment: [String: String]) throws -> RunOptions {
        RunOptions(
            mode: mode, concurrency: concurrency, orgNames: orgs, shard: try parsedShard(), profileOverride: profile,
            endpointURL: endpointURL, redact: redact,
            timeouts: HTTPTimeouts(connect: connectTimeout, total: requestTimeout),
            maxAttempts: maxAttempts ?? environment["AWS_MAX_ATTEMPTS"].flatMap(Int.init) ?? 3, logLevel: logLevel)
    }
}

extension LogLevel: ExpressibleByArgument {}
