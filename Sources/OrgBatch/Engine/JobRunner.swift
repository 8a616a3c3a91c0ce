import Foundation

/// Runs a job (`plan` or `run`) on a Dispatch-based pool of worker threads and writes one
/// report line per task.
///
/// Each worker owns one `Transport` (one libcurl handle, so one kept-alive connection per
/// endpoint) for its whole life, and takes work from the `Scheduler` until none is left.
/// Nothing here keeps results: each line goes to the `ReportWriter` as soon as it is known.
public final class JobRunner: Sendable {
    let job: Job
    let orgs: [JobOrg]
    let options: RunOptions
    let resolver: ProfileResolver
    let transportFactory: any TransportFactory
    let clock: any WallClock
    let random: any RandomSource
    let writer: ReportWriter
    let scheduler: Scheduler
    let log: @Sendable (LogLevel, String) -> Void

    /// - Parameters:
    ///   - orgs: the organizations to run (after `OrgSelection`).
    ///   - environment: the process environment, for profiles and endpoints.
    public init(
        job: Job, orgs: [JobOrg], options: RunOptions, environment: [String: String], sharedConfig: SharedConfig,
        transportFactory: any TransportFactory, writer: ReportWriter, clock: any WallClock = SystemClock(),
        random: any RandomSource = SystemRandom(), runID: String = JobRunner.newRunID(),
        log: @escaping @Sendable (LogLevel, String) -> Void = { _, _ in }
    ) {
        self.log = log
        self.job = job
        self.orgs = orgs
        self.options = options
        self.transportFactory = transportFactory
        self.clock = clock
        self.random = random
        self.writer = writer
        let retryPolicy = StandardRetryPolicy(maxAttempts: options.maxAttempts, random: random)
        resolver = ProfileResolver(
            environment: environment, config: sharedConfig, transportFactory: transportFactory, clock: clock,
            retryPolicy: retryPolicy, explicitEndpoint: options.endpointURL)
        scheduler = Scheduler(
            job: job, orgs: orgs, mode: options.mode, factory: LineFactory(runID: runID, clock: clock),
            profileOverride: options.profileOverride)
    }

    /// A random 16-hex-digit id for the run.
    public static func newRunID() -> String {
        (0..<2).map { _ in String(UInt32.random(in: .min ... .max), radix: 16).leftPadded(8) }.joined()
    }

    /// Runs to the end (or until `cancel()`), blocking the calling thread.
    public func run() -> RunSummary {
        let start = clock.now()
        let group = DispatchGroup()
        let queue = DispatchQueue(label: "orgbatch.workers", attributes: .concurrent)
        for _ in 0..<max(1, options.concurrency) {
            queue.async(group: group) { self.work() }
        }
        group.wait()
        if scheduler.isCancelled {
            scheduler.drainUnstarted { lines in lines.forEach(writer.write) }
        }
        return RunSummary(
            tally: writer.tally, seconds: clock.now().timeIntervalSince(start), cancelled: scheduler.isCancelled)
    }

    /// Stops handing out work; tasks under way finish and the rest are reported `cancelled`.
    public func cancel() {
        scheduler.cancel()
    }

    public var isCancelled: Bool { scheduler.isCancelled }

    /// One worker: its own transport, work until there is none.
    private func work() {
        let transport = transportFactory.makeTransport()
        let retryPolicy = StandardRetryPolicy(maxAttempts: options.maxAttempts, random: random)
        let preparer = OrgPreparer(
            job: job, resolver: resolver, profileOverride: options.profileOverride, transport: transport,
            retryPolicy: retryPolicy, clock: clock, timeouts: options.timeouts)
        let emit: ([ReportLine]) -> Void = { lines in lines.forEach(self.writer.write) }
        while let work = scheduler.next(emit: emit) {
            switch work {
            case .prepare(let index):
                let result = Result { () throws(PreflightFailure) in try preparer.prepare(orgs[index]) }
                let (lines, tasks) = scheduler.prepared(org: index, result)
                writer.expect(tasks)
                switch result {
                case .success(let context):
                    log(
                        .info,
                        "org \(context.org.name) (\(context.organizationID)): \(tasks) tasks, as account \(context.callerAccountID)"
                            + (context.callerIsManagementAccount ? " (management)" : " (delegated administrator)"))
                case .failure(let failure):
                    log(.error, "org \(orgs[index].name): not prepared: \(failure.error.code): \(failure.error.message)")
                }
                emit(lines)
            case .task(let assignment):
                let line = execute(assignment, transport: transport, retryPolicy: retryPolicy)
                writer.write(line)
                if let error = line.error {
                    log(.debug, "\(line.org) \(line.account ?? "-") \(line.action): \(error.code): \(error.message)")
                }
                scheduler.finished(assignment, status: line.status, errorCode: line.error?.code)
            }
        }
    }

    private func execute(_ assignment: Scheduler.Assignment, transport: any Transport, retryPolicy: any RetryPolicy)
        -> ReportLine
    {
        let context = assignment.context
        func requester(_ service: AWSService) -> AWSRequester {
            AWSRequester(
                transport: transport, credentials: context.profile.credentials, endpoint: context.profile.endpoint(service),
                retryPolicy: retryPolicy, clock: clock, timeouts: options.timeouts)
        }
        let organizations = requester(.organizations)
        let account = requester(.account)
        let runner = ActionRunner(
            context: context, mode: options.mode, organizations: OrganizationsClient(requester: organizations),
            account: AccountClient(requester: account))
        let start = clock.now()
        let outcome = runner.run(
            assignment.action, member: assignment.member,
            accountTrustedAccessPending: assignment.accountTrustedAccessPending)
        var line = scheduler.factory.line(
            org: context.org, profile: context.profile.name ?? context.org.profile, context: context,
            action: assignment.action, account: assignment.member, status: outcome.status, reason: outcome.reason,
            error: outcome.error)
        line.before = outcome.before
        line.after = outcome.after
        line.attempts = organizations.attemptsMade + account.attemptsMade
        line.throttled = organizations.throttlesSeen + account.throttlesSeen
        line.durationMs = Int((clock.now().timeIntervalSince(start) * 1000).rounded())
        line.requestID = account.lastRequestID ?? organizations.lastRequestID
        return line
    }
}
