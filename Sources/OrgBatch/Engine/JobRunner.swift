import Foundation

/// Runs a job (`plan` or `run`) on a Dispatch-based pool of worker threads and writes one
/// report line per task.
///
/// Each worker is a serial `DispatchQueue` of its own (so `--concurrency` threads really run
/// at once; a shared concurrent queue would be held to a few threads on Linux), owning one
/// `Transport` (one libcurl handle, so one kept-alive connection per endpoint) for its whole
/// life, and taking work from the `Scheduler` until none is left. Requests draw from the
/// run's adaptive rate buckets and per-endpoint retry budgets. Nothing keeps results: each
/// line goes to the `ReportWriter` as soon as it is known.
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
    let rateLimiter: RateLimiter
    let retryBudgets = RetryBudgets()
    /// Preflight reads made alongside a worker's own use the workers that have no
    /// organization to prepare: none when there are at least as many organizations as workers.
    let alongsidePermits: CallPermits
    /// Signing keys for requests outside an organization's routes (each route keeps its own).
    let signingKeys = SigningKeyCache()
    let changeBudget: ChangeBudget?
    let log: @Sendable (LogLevel, String) -> Void
    /// What every requester asks before a retry, made once rather than for every task.
    let shouldStop: @Sendable () -> Bool
    /// What the tasks' requests share across the run (see `OrgContext.Route.taskSettings`).
    let runRequests: RequestSettings.RunWide
    /// The workers, and the reader threads of account lists: the run ends
    /// when all have (or, after a cancel, when the grace period is over).
    private let threads = DispatchGroup()

    /// - Parameters:
    ///   - orgs: the organizations to run (after `OrgSelection`).
    ///   - environment: the process environment, for profiles and endpoints.
    public init(
        job: Job, orgs: [JobOrg], options: RunOptions, environment: [String: String], sharedConfig: SharedConfig,
        transportFactory: any TransportFactory, writer: ReportWriter, clock: any WallClock = SystemClock(),
        random: any RandomSource = SystemRandom(), runID: String = JobRunner.newRunID(),
        log: @escaping @Sendable (LogLevel, String) -> Void = { _, _ in }
    ) {
        self.job = job
        self.orgs = orgs
        self.options = options
        alongsidePermits = CallPermits(options.concurrency - orgs.count)
        self.transportFactory = transportFactory
        self.clock = clock
        self.random = random
        self.writer = writer
        self.log = log
        changeBudget = options.maxChanges.map(ChangeBudget.init(limit:))
        let retryPolicy = StandardRetryPolicy(maxAttempts: options.maxAttempts ?? RunOptions.defaultMaxAttempts, random: random)
        resolver = ProfileResolver(
            environment: environment, config: sharedConfig, transportFactory: transportFactory, clock: clock,
            retryPolicy: retryPolicy, explicitEndpoint: options.endpointURL, timeouts: options.timeouts)
        let limiter = RateLimiter(table: options.rateLimits, clock: clock)
        rateLimiter = limiter
        let scheduler = Scheduler(
            job: job, orgs: orgs, mode: options.mode, factory: LineFactory(runID: runID, clock: clock),
            profileOverride: options.profileOverride, finishedBefore: options.finishedBefore,
            listReaders: Self.listReaderCount(concurrency: options.concurrency, orgs: orgs.count),
            readiness: { [writeOnly = options.writeOnly && options.mode == .run] context, action in
                let (service, operation) = ActionRunner.firstOperation(action, writeOnly: writeOnly)
                return limiter.estimatedWait(RateKey(account: context.callerAccountID, service: service, operation: operation))
            })
        self.scheduler = scheduler
        let shouldStop: @Sendable () -> Bool = { scheduler.isCancelled }
        self.shouldStop = shouldStop
        runRequests = RequestSettings.RunWide(
            clock: clock, timeouts: options.timeouts, rateLimiter: limiter, shouldStop: shouldStop)
    }

    /// How many reader threads may read account lists' later pages beside the workers: as many
    /// as the workers that have no organization to prepare, and at least one for every eight
    /// workers. Before, a run of more organizations than workers read each list's later pages
    /// on the worker that prepared it, a round trip a page during which that worker sent
    /// nothing: in the benchmark's S4 (100 organizations of 6 pages, 64 workers) 500 round
    /// trips, 0.4 s of its 25. Workers still read a page when they have nothing else to do.
    static func listReaderCount(concurrency: Int, orgs: Int) -> Int {
        max(concurrency - orgs, concurrency / 8)
    }

    /// A random 16-hex-digit id for the run.
    public static func newRunID() -> String {
        (0..<2).map { _ in String(UInt32.random(in: .min ... .max), radix: 16).leftPadded(8) }.joined()
    }

    /// Runs to the end (or until `cancel()`), blocking the calling thread.
    ///
    /// After a cancel, requests under way get `graceSeconds` to finish; tasks still under way
    /// then are reported `cancelled` and the workers are left behind (the process exits).
    public func run() -> RunSummary {
        let start = clock.now()
        for index in 0..<max(1, options.concurrency) {
            DispatchQueue(label: "orgbatch.worker.\(index)").async(group: threads) { self.work() }
        }
        var cancelledAt: DispatchTime?
        while threads.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
            guard scheduler.isCancelled else { continue }
            let since = cancelledAt ?? .now()
            cancelledAt = since
            if DispatchTime.now() > since + options.graceSeconds {
                log(.warn, "requests still under way after \(Int(options.graceSeconds)) s are reported cancelled")
                writer.abandonInFlight()
                break
            }
        }
        let cancelled = scheduler.isCancelled
        if cancelled {
            scheduler.drainUnstarted { lines in lines.forEach(writer.write) }
        }
        return RunSummary(
            tally: writer.tally, seconds: clock.now().timeIntervalSince(start), cancelled: cancelled,
            resumedTasks: scheduler.resumedTasks)
    }

    /// Stops handing out work; tasks under way finish and the rest are reported `cancelled`.
    public func cancel() {
        scheduler.cancel()
    }

    public var isCancelled: Bool { scheduler.isCancelled }

    /// One worker: its own transport, work until there is none.
    private func work() {
        let transport = transportFactory.makeTransport()
        let preparer = OrgPreparer(
            job: job, resolver: resolver, profileOverride: options.profileOverride, transport: transport,
            transportFactory: transportFactory, maxAttempts: options.maxAttempts, random: random, clock: clock, timeouts: options.timeouts,
            rateLimiter: rateLimiter, retryBudgets: retryBudgets, alongsidePermits: alongsidePermits,
            runRequests: runRequests)
        let emit: ([ReportLine]) -> Void = { lines in lines.forEach(self.writer.write) }
        let slot = writer.makeSlot()
        // The retry policy of the last organization's tasks: boxed once, not per task (a
        // policy does not fit an existential's inline buffer). Organizations of one run
        // rarely differ in attempts.
        var retryPolicy: (maxAttempts: Int, policy: any RetryPolicy)?
        while let work = scheduler.next(emit: emit) {
            switch work {
            case .prepare(let index):
                let result = Result { () throws(PreflightFailure) in try preparer.prepare(orgs[index]) }
                let (lines, tasks) = scheduler.prepared(org: index, result)
                writer.expect(tasks)
                switch result {
                case .success(let prepared):
                    let context = prepared.context
                    log(
                        .info,
                        "org \(context.org.name) (\(context.organizationID)): as account \(context.callerAccountID)"
                            + (context.callerIsManagementAccount ? " (management)" : " (delegated administrator)")
                            + (prepared.rest == nil
                                ? ", \(tasks) tasks"
                                : ", \(tasks) tasks from the first \(prepared.members.count) accounts, more as the list is read"))
                    emit(lines)
                    if let rest = prepared.rest, scheduler.queueListRead(org: index, from: rest, mayStartReader: true) {
                        startListReader()
                    }
                case .failure(let failure):
                    log(.error, "org \(orgs[index].name): not prepared: \(failure.error.code): \(failure.error.message)")
                    emit(lines)
                }
            case .listRead(let read):
                readAccountPage(read, transport: transport, byReader: false)
            case .task(let assignment):
                writer.begin(assignment.id, in: slot) { [self] in
                    self.line(for: assignment, status: .cancelled, reason: "interrupted while this task was under way")
                }
                let maxAttempts = assignment.context.maxAttempts
                if retryPolicy?.maxAttempts != maxAttempts {
                    retryPolicy = (maxAttempts, StandardRetryPolicy(maxAttempts: maxAttempts, random: random))
                }
                let line = execute(assignment, transport: transport, retryPolicy: retryPolicy!.policy)
                if !writer.finish(assignment.id, in: slot, line) { scheduler.cancel() }  // a report that loses lines must stop the run
                if let error = line.error, line.status == .failed {
                    log(.debug, "\(line.org) \(line.account ?? "-") \(line.action): \(error.code): \(error.message)")
                }
                scheduler.finished(assignment, line)
            }
        }
    }

    /// Starts a reader thread: it reads account lists' pages, one after another, until none is
    /// queued, on a transport of its own.
    private func startListReader() {
        // The run waits for a reader as for a worker, so its last `expect` is in the tally.
        threads.enter()
        CallPermits.startThread { [self] in
            defer { threads.leave() }
            // Made at the first page: a worker may have taken the list before this thread ran.
            var transport: (any Transport)?
            while let read = scheduler.nextListRead() {
                let current = transport ?? transportFactory.makeTransport()
                transport = current
                readAccountPage(read, transport: current, byReader: true)
            }
        }
    }

    /// Reads the next page of an organization's account list, hands it to the scheduler and
    /// queues the rest. Stops at a cancel; the scheduler reports the accounts never listed.
    private func readAccountPage(_ read: Scheduler.ListRead, transport: any Transport, byReader: Bool) {
        // As the preflight's reads: not paced.
        let organizations = OrganizationsClient(
            requester: requester(
                read.context, .organizations, on: transport,
                retryPolicy: StandardRetryPolicy(maxAttempts: read.context.maxAttempts, random: random), paced: false))
        var position = read.position
        do throws(AWSError) {
            let page = try organizations.listAccountSummaries(page: &position)
            writer.expect(scheduler.listed(org: read.org, OrgPreparer.members(page), last: position.isFinished))
            if scheduler.queueListRead(org: read.org, from: position, continuing: true, mayStartReader: !byReader) {
                startListReader()
            }
        } catch {
            // Stopped by a cancel: the drain reports the accounts not listed.
            if scheduler.isCancelled { return }
            log(
                .error,
                "org \(read.context.org.name): the account list could not be read to its end: \(error.code): \(error.message)")
            writer.expect(scheduler.listingFailed(org: read.org, ReportedError(error)))
        }
    }

    /// Requests to `service` for one of `context`'s tasks (or its account list, not `paced`
    /// by the rate buckets) on `transport`.
    private func requester(
        _ context: OrgContext, _ service: AWSService, on transport: any Transport, retryPolicy: any RetryPolicy, paced: Bool
    ) -> AWSRequester {
        let route = context.route(service)
        if paced, let settings = route?.taskSettings {
            return AWSRequester(transport: transport, settings: settings, retryPolicy: retryPolicy)
        }
        let endpoint = route?.endpoint ?? context.profile.endpoint(service)
        return AWSRequester(
            transport: transport, credentials: context.profile.credentials, endpoint: endpoint,
            retryPolicy: retryPolicy, clock: clock, timeouts: options.timeouts, rateLimiter: paced ? rateLimiter : nil,
            rateScope: paced ? context.callerAccountID : nil,
            retryBudget: route?.retryBudget ?? retryBudgets.budget(for: endpoint), shouldStop: shouldStop,
            signingKeys: route?.signingKeys ?? signingKeys)
    }

    private func line(for assignment: Scheduler.Assignment, status: TaskStatus, reason: String? = nil) -> ReportLine {
        scheduler.factory.line(template: assignment.lineTemplate, account: assignment.member, status: status, reason: reason)
    }

    private func execute(_ assignment: Scheduler.Assignment, transport: any Transport, retryPolicy: any RetryPolicy)
        -> ReportLine
    {
        let context = assignment.context
        let requesters = TaskRequesters { [self] service in
            requester(context, service, on: transport, retryPolicy: retryPolicy, paced: true)
        }
        let runner = ActionRunner(
            context: context, mode: options.mode, requesters: requesters, changeBudget: changeBudget,
            writeOnly: options.writeOnly)
        let start = clock.now()
        var outcome = runner.run(
            context.actions[assignment.actionIndex], member: assignment.member,
            accountTrustedAccessPending: assignment.accountTrustedAccessPending)
        if outcome.status == .failed, scheduler.isCancelled, outcome.error?.classification != "terminal" {
            outcome.status = .cancelled
            outcome.reason = "interrupted while retrying"
        }
        var line = line(for: assignment, status: outcome.status, reason: outcome.reason)
        line.error = outcome.error
        line.before = outcome.before
        line.after = outcome.after
        line.attempts = requesters.attemptsMade
        line.throttled = requesters.throttlesSeen
        line.durationMs = Int((clock.now().timeIntervalSince(start) * 1000).rounded())
        line.requestID = requesters.lastRequestID
        return line
    }
}
