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

    @Option(
        help: ArgumentHelp(
            "CPUs the run's threads may use, the first being the one it starts on: a number, or all.", valueName: "n|all"))
    var cpus: CPULimit = .count(1)

    @Option(help: "Use this profile instead of the job's (with a single --org).")
    var profile: String?

    @Option(help: "Send every request to this endpoint (https, or http to a loopback address).")
    var endpointURL: String?

    @Flag(help: "Replace contact names, emails and phone numbers in the report with a stable hash.")
    var redact = false

    @Option(help: "Attempts per request, retries included (default: AWS_MAX_ATTEMPTS, else the profile's max_attempts, else 8).")
    var maxAttempts: Int?

    @Option(
        name: .customLong("rate-limit"),
        help: ArgumentHelp(
            "A client-side limit, over the job file's: Operation=rate or Operation=rate/burst (repeat for more).",
            valueName: "op=rate[/burst]"))
    var rateLimits: [String] = []

    @Option(help: ArgumentHelp("After an interrupt, seconds requests under way may take to finish.", valueName: "seconds"))
    var grace: Double = RunOptions.defaultGraceSeconds

    @Option(help: ArgumentHelp("Skip the tasks this report shows changed or unchanged, and append to it.", valueName: "report"))
    var resume: String?

    @Option(help: ArgumentHelp("Hold this lock file while running (default for run: one per job file in $TMPDIR).", valueName: "file"))
    var lock: String?

    @Flag(help: "Take no lock.")
    var noLock = false

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
        guard (0.001...3600).contains(connectTimeout), (0.001...3600).contains(requestTimeout) else {
            throw ValidationError("timeouts must be from 0.001 to 3600 seconds")
        }
        guard (0...3600).contains(grace) else { throw ValidationError("--grace must be from 0 to 3600 seconds") }
        _ = try parsedRateLimits()
        if lock != nil && noLock { throw ValidationError("--lock and --no-lock contradict each other") }
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

    func parsedRateLimits() throws -> [String: RateLimit] {
        var limits: [String: RateLimit] = [:]
        for text in rateLimits {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, RateLimitTable.isValidKey(parts[0]), let limit = RateLimit(parsing: parts[1]) else {
                throw ValidationError(
                    "--rate-limit takes Operation=rate or Operation=rate/burst, for example PutAlternateContact=10/10; got '\(text)'")
            }
            limits[parts[0]] = limit
        }
        return limits
    }

    func runOptions(mode: RunMode, environment: [String: String]) throws -> RunOptions {
        RunOptions(
            mode: mode, concurrency: concurrency, orgNames: orgs, shard: try parsedShard(), profileOverride: profile,
            endpointURL: endpointURL, redact: redact,
            timeouts: HTTPTimeouts(connect: connectTimeout, total: requestTimeout),
            maxAttempts: maxAttempts ?? environment["AWS_MAX_ATTEMPTS"].flatMap(Int.init), logLevel: logLevel,
            graceSeconds: grace)
    }

    func commandOptions(mode: RunMode, environment: [String: String], yes: Bool = false, maxChanges: Int? = nil) throws
        -> JobCommand.Options
    {
        JobCommand.Options(
            jobPath: job, run: try runOptions(mode: mode, environment: environment), reportPath: report, yes: yes,
            maxChanges: maxChanges, quiet: quiet, progress: progress, rateLimits: try parsedRateLimits(), resumePath: resume,
            lockPath: noLock ? "" : lock, cpus: cpus)
    }
}

extension LogLevel: ExpressibleByArgument {}

extension CPULimit: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }

    public var defaultValueDescription: String { description }
}
