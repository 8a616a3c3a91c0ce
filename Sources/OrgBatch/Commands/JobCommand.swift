import Foundation

/// `orgbatch plan` and `orgbatch run`: load and check the job, pick the organizations, run,
/// summarise, and say how it went in the exit code.
public enum JobCommand {
    public struct Options: Sendable {
        public var jobPath: String
        public var run: RunOptions
        /// Where the report goes; nil for standard output.
        public var reportPath: String?
        /// Confirms destructive statements without asking.
        public var yes: Bool
        /// `run`: abort before the first write when the plan would change more than this.
        public var maxChanges: Int?
        public var quiet: Bool
        /// nil: show progress when standard error is a terminal.
        public var progress: Bool?

        public init(
            jobPath: String, run: RunOptions, reportPath: String? = nil, yes: Bool = false, maxChanges: Int? = nil,
            quiet: Bool = false, progress: Bool? = nil
        ) {
            self.jobPath = jobPath
            self.run = run
            self.reportPath = reportPath
            self.yes = yes
            self.maxChanges = maxChanges
            self.quiet = quiet
            self.progress = progress
        }
    }

    public static func run(_ options: Options, io: CommandIO) -> Int32 {
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
        } catch let error as ConfigError {
            return usage(io, error.description)
        } catch let error as JobValidationError {
            io.diagnostics(error.description)
            return OrgBatchExit.usage
        } catch {
            return usage(io, "\(error)")
        }

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

        if options.run.mode == .run, let maximum = options.maxChanges {
            switch checkChangeBudget(maximum, options: options, job: job, orgs: orgs, config: config, io: io) {
            case .proceed: break
            case .stop(let code): return code
            }
        }

        let sink: any ReportSink
        do {
            sink = try options.reportPath.map { try FileReportSink(path: $0) } ?? FileReportSink()
        } catch {
            return usage(io, "cannot write the report to \(options.reportPath ?? "-"): \(error.localizedDescription)")
        }
        let summary = execute(job: job, orgs: orgs, options: options, config: config, sink: sink, io: io)
        if summary.cancelled { return OrgBatchExit.interrupted }
        if summary.tally.count(.failed) > 0 { return OrgBatchExit.failures }
        if options.run.mode == .plan && summary.tally.count(.wouldChange) > 0 { return OrgBatchExit.wouldChange }
        return OrgBatchExit.success
    }

    private enum Budget {
        case proceed
        case stop(Int32)
    }

    /// `--max-changes`: plan first; when too much would change, the plan becomes the report.
    private static func checkChangeBudget(
        _ maximum: Int, options: Options, job: Job, orgs: [JobOrg], config: SharedConfig, io: CommandIO
    ) -> Budget {
        let planPath = FileManager.default.temporaryDirectory.appendingPathComponent("orgbatch-plan-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: planPath) }
        var planOptions = options
        planOptions.run.mode = .plan
        planOptions.quiet = true
        guard let planSink = try? FileReportSink(path: planPath) else { return .stop(usage(io, "cannot write a temporary plan")) }
        let plan = execute(job: job, orgs: orgs, options: planOptions, config: config, sink: planSink, io: io)
        if plan.cancelled { return .stop(OrgBatchExit.interrupted) }
        let changes = plan.tally.count(.wouldChange)
        guard changes > maximum else {
            if !options.quiet { io.diagnostics("orgbatch: the plan changes \(changes) things (--max-changes \(maximum)); applying") }
            return .proceed
        }
        let text = (try? String(contentsOfFile: planPath, encoding: .utf8)) ?? ""
        do {
            let sink = try options.reportPath.map { try FileReportSink(path: $0) } ?? FileReportSink()
            for line in text.split(separator: "\n") { sink.write(line: String(line)) }
        } catch {
            io.diagnostics("orgbatch: cannot write the report: \(error.localizedDescription)")
        }
        io.diagnostics(
            "orgbatch: the plan would change \(changes) things, more than --max-changes \(maximum); nothing was written "
                + "(the report holds the plan)")
        return .stop(OrgBatchExit.tooManyChanges)
    }

    private static func execute(
        job: Job, orgs: [JobOrg], options: Options, config: SharedConfig, sink: sending any ReportSink, io: CommandIO
    ) -> RunSummary {
        let writer = ReportWriter(sink: sink, redact: options.run.redact)
        let runner = JobRunner(
            job: job, orgs: orgs, options: options.run, environment: io.environment, sharedConfig: config,
            transportFactory: io.transportFactory, writer: writer, clock: io.clock,
            log: { [quiet = options.quiet, level = options.run.logLevel, diagnostics = io.diagnostics] messageLevel, text in
                if messageLevel <= level && (!quiet || messageLevel == .error) { diagnostics("orgbatch: " + text) }
            })
        io.onRunner(runner)
        let quiet = options.quiet || options.run.logLevel < .info
        let showProgress = !quiet && (options.progress ?? io.stderrIsTerminal)
        let progress = showProgress ? ProgressDisplay(writer: writer, clock: io.clock, output: io.diagnostics) : nil
        progress?.start()
        let summary = runner.run()
        progress?.stop()
        if !quiet {
            io.diagnostics(summary.tally.summary(seconds: summary.seconds) + (summary.cancelled ? " (interrupted)" : ""))
        }
        return summary
    }

    private static func usage(_ io: CommandIO, _ message: String) -> Int32 {
        io.diagnostics("orgbatch: \(message)")
        return OrgBatchExit.usage
    }
}
