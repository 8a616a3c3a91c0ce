import Foundation

/// `orgbatch plan` and `orgbatch run`: load and check the job, pick the organizations, run,
/// summarise, and say how it went in the exit code.
public enum JobCommand {
    public struct Options: Sendable {
        public var jobPath: String
        public var run: RunOptions
        /// Where the report goes; nil for standard output (or the resumed report).
        public var reportPath: String?
        /// Confirms destructive statements without asking.
        public var yes: Bool
        /// `run`: abort before the first write when the plan would change more than this.
        public var maxChanges: Int?
        public var quiet: Bool
        /// nil: show progress when standard error is a terminal.
        public var progress: Bool?
        /// `--rate-limit` flags, over the job file's `rateLimits`.
        public var rateLimits: [String: RateLimit]
        /// `--resume REPORT`: skip what it shows finished and append to it.
        public var resumePath: String?
        /// `--lock FILE`; nil: the job's default lock (`run` only); "" for none.
        public var lockPath: String?
        /// `--cpus`: the CPUs the run's threads may use. `.all` (the default here) leaves the
        /// process as it is; the command line's default is one CPU. A placement applies to
        /// the whole process and is never undone.
        public var cpus: CPULimit

        public init(
            jobPath: String, run: RunOptions, reportPath: String? = nil, yes: Bool = false, maxChanges: Int? = nil,
            quiet: Bool = false, progress: Bool? = nil, rateLimits: [String: RateLimit] = [:], resumePath: String? = nil,
            lockPath: String? = nil, cpus: CPULimit = .all
        ) {
            self.jobPath = jobPath
            self.run = run
            self.reportPath = reportPath
            self.yes = yes
            self.maxChanges = maxChanges
            self.quiet = quiet
            self.progress = progress
            self.rateLimits = rateLimits
            self.resumePath = resumePath
            self.lockPath = lockPath
            self.cpus = cpus
        }
    }

    public static func run(_ options: Options, io: CommandIO) -> Int32 {
        var options = options
        // Everything offline first: the configuration, the job, the selection, the flags.
        let config: SharedConfig
        let job: Job
        let orgs: [JobOrg]
        do {
            config = try SharedConfig.load(environment: io.environment)
            job = try JobLoader(sharedConfig: options.run.profileOverride == nil ? config : nil).load(path: options.jobPath)
            orgs = try OrgSelection.select(job.orgs, names: options.run.orgNames, shard: options.run.shard)
            if let profile = options.run.profileOverride {
                guard orgs.count == 1 else {
                    return usage(io, "--profile replaces one org's profile; pick the org with --org")
                }
                guard config.profiles[profile] != nil else {
                    return usage(io, "profile '\(profile)' is not defined (files read: \(config.filesRead.joined(separator: ", ")))")
                }
            }
            if let resume = options.resumePath {
                options.run.finishedBefore = try ReportHistory.finishedTasks(in: resume)
            }
        } catch let error as ConfigError {
            return usage(io, error.description)
        } catch let error as JobValidationError {
            io.diagnostics(error.description)
            return OrgBatchExit.usage
        } catch let error as CocoaError where options.resumePath != nil {
            return usage(io, "cannot read the report to resume, \(options.resumePath!): \(error.localizedDescription)")
        } catch {
            return usage(io, "\(error)")
        }
        options.run.rateLimits = RateLimitTable(configured: job.rateLimits.merging(options.rateLimits) { $1 })

        if options.run.mode == .run {
            let destructive = job.actions.filter(\.isDestructive)
            if !destructive.isEmpty && !options.yes {
                let what = destructive.map { "step \($0.step) (\($0.name) \(LineFactory.params($0).map(\.1).joined(separator: " ")))" }
                    .joined(separator: ", ")
                let question = "This job removes settings: \(what), in \(orgs.count) org(s). Continue? [y/N] "
                guard io.stdinIsTerminal, let confirm = io.confirm else {
                    return usage(io, "this job removes settings (\(what)); pass --yes to confirm, as standard input is not a terminal")
                }
                guard confirm(question) else {
                    io.diagnostics("orgbatch: nothing done")
                    return OrgBatchExit.usage
                }
            }
        }

        // One run of a job at a time: two cron runs must not overlap.
        var lock: RunLock?
        let lockPath = options.lockPath ?? (options.run.mode == .run ? RunLock.defaultPath(forJob: options.jobPath, environment: io.environment) : "")
        if !lockPath.isEmpty {
            do {
                lock = try RunLock(path: lockPath)
            } catch let error as RunLock.Busy {
                io.diagnostics("orgbatch: \(error.description)")
                return OrgBatchExit.locked
            } catch {
                return usage(io, "cannot take the lock \(lockPath): \(error.localizedDescription)")
            }
        }
        defer { withExtendedLifetime(lock) {} }

        // The report: a new file, standard output, or the resumed report (appended to).
        let sink: any ReportSink
        do {
            if let path = options.reportPath ?? options.resumePath {
                sink = try FileReportSink(path: path, append: options.reportPath == nil && options.resumePath != nil)
            } else {
                sink = FileReportSink()
            }
        } catch {
            return usage(io, "cannot write the report to \(options.reportPath ?? options.resumePath ?? "-"): \(error.localizedDescription)")
        }
        let writer = ReportWriter(sink: sink, redact: options.run.redact)
        placeThreads(options, io: io)

        if options.run.mode == .run, let maximum = options.maxChanges {
            switch checkChangeBudget(maximum, options: options, job: job, orgs: orgs, config: config, io: io, writer: writer) {
            case .proceed: options.run.maxChanges = maximum
            case .stop(let code): return code
            }
        }

        let summary = execute(job: job, orgs: orgs, options: options, config: config, writer: writer, io: io)
        if writer.writeFailed {
            io.diagnostics("orgbatch: the report could not be written completely (disk full? closed pipe?)")
            return OrgBatchExit.reportFailed
        }
        if summary.cancelled { return OrgBatchExit.interrupted }
        if summary.tally.count(.failed) > 0 { return OrgBatchExit.failures }
        if options.run.mode == .plan && summary.tally.count(.wouldChange) > 0 { return OrgBatchExit.wouldChange }
        return OrgBatchExit.success
    }

    private enum Budget {
        case proceed
        case stop(Int32)
    }

    /// `--max-changes`: plan first. When too much would change, or the plan could not read
    /// everything, or it was interrupted, the plan becomes the report and nothing is written.
    private static func checkChangeBudget(
        _ maximum: Int, options: Options, job: Job, orgs: [JobOrg], config: SharedConfig, io: CommandIO,
        writer: ReportWriter
    ) -> Budget {
        let planPath = FileManager.default.temporaryDirectory.appendingPathComponent("orgbatch-plan-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: planPath) }
        var planOptions = options
        planOptions.run.mode = .plan
        planOptions.quiet = true
        guard let planSink = try? FileReportSink(path: planPath) else { return .stop(usage(io, "cannot write a temporary plan")) }
        let plan = execute(
            job: job, orgs: orgs, options: planOptions, config: config, writer: ReportWriter(sink: planSink, redact: options.run.redact),
            io: io)
        let changes = plan.tally.count(.wouldChange)
        let failed = plan.tally.count(.failed)
        let code: Int32
        if plan.cancelled {
            io.diagnostics("orgbatch: interrupted during the --max-changes plan; nothing was written (the report holds the plan)")
            code = OrgBatchExit.interrupted
        } else if failed > 0 {
            io.diagnostics(
                "orgbatch: the --max-changes plan could not read \(failed) task(s), so what a run would change is unknown; "
                    + "nothing was written (the report holds the plan)")
            code = OrgBatchExit.failures
        } else if changes > maximum {
            io.diagnostics(
                "orgbatch: the plan would change \(changes) things, more than --max-changes \(maximum); nothing was written "
                    + "(the report holds the plan)")
            code = OrgBatchExit.tooManyChanges
        } else {
            if !options.quiet { io.diagnostics("orgbatch: the plan changes \(changes) things (--max-changes \(maximum)); applying") }
            return .proceed
        }
        let text = (try? String(contentsOfFile: planPath, encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") {
            // Already encoded (and redacted): copy the lines as they are.
            writer.copyEncoded(String(line))
        }
        return .stop(code)
    }

    private static func execute(
        job: Job, orgs: [JobOrg], options: Options, config: SharedConfig, writer: ReportWriter, io: CommandIO
    ) -> RunSummary {
        let runner = JobRunner(
            job: job, orgs: orgs, options: options.run, environment: io.environment, sharedConfig: config,
            transportFactory: io.transportFactory, writer: writer, clock: io.clock, log: logger(options, io: io))
        io.onRunner(runner)
        let quiet = options.quiet || options.run.logLevel < .info
        let showProgress = !quiet && (options.progress ?? io.stderrIsTerminal)
        let progress = showProgress ? ProgressDisplay(writer: writer, clock: io.clock, output: io.diagnostics) : nil
        progress?.start()
        let summary = runner.run()
        progress?.stop()
        if !quiet {
            var text = summary.tally.summary(seconds: summary.seconds)
            if summary.resumedTasks > 0 { text += "\norgbatch: \(summary.resumedTasks) tasks were already done (--resume)" }
            io.diagnostics(text + (summary.cancelled ? " (interrupted)" : ""))
        }
        return summary
    }

    /// `--cpus`: before the first request, so every thread the run starts inherits the CPUs.
    private static func placeThreads(_ options: Options, io: CommandIO) {
        let log = logger(options, io: io)
        switch CPUPlacement(affinity: io.threadAffinity).apply(options.cpus) {
        case .unchanged:
            break
        case .unsupported:
            log(.debug, "this system cannot keep threads on chosen CPUs; --cpus \(options.cpus) has no effect")
        case .kept(let cpus, let allowed):
            log(
                .debug,
                "threads kept on CPU \(CPUPlacement.describe(cpus)) of \(CPUPlacement.describe(allowed)) "
                    + "(--cpus \(options.cpus); --cpus all for every one)")
        case .failed(let error):
            log(.warn, "could not keep the threads on \(options.cpus) CPU(s), so they run on every allowed one: \(error)")
        }
    }

    /// Messages at `--log-level` or above, on standard error; only errors with `--quiet`.
    private static func logger(_ options: Options, io: CommandIO) -> @Sendable (LogLevel, String) -> Void {
        { [quiet = options.quiet, level = options.run.logLevel, diagnostics = io.diagnostics] messageLevel, text in
            if messageLevel <= level && (!quiet || messageLevel == .error) { diagnostics("orgbatch: " + text) }
        }
    }

    private static func usage(_ io: CommandIO, _ message: String) -> Int32 {
        io.diagnostics("orgbatch: \(message)")
        return OrgBatchExit.usage
    }
}
