import Foundation

/// Hands work to the pool's workers and keeps each organization's progress: a state machine
/// behind one lock.
///
/// Per organization: prepare (preflight and discovery), then the job's steps in file order;
/// step N+1 starts when every task of step N has finished. An organization's account list may
/// still be being read when its first steps start (see `PreparedOrg`): each page adds its
/// accounts to the steps they are targets of, and an account-level step ends only once the
/// list has. Organizations advance
/// independently; workers take work from them in turn, preferring an organization whose rate
/// bucket has a token now, so a throttled organization does not hold workers the others could
/// use. Tasks are made when handed out and forgotten once reported. Lines the scheduler
/// decides itself (skipped, failed without sending, cancelled) are returned to the caller to
/// write after the lock is released.
final class Scheduler: @unchecked Sendable {
    // @unchecked Sendable: every mutable field lives in `state`, read and written only while
    // `condition` is locked.

    enum Work: Sendable {
        case prepare(org: Int)
        case task(Assignment)
        /// A page of an account list, for a worker with nothing else to do.
        case listRead(ListRead)
    }

    /// Where an organization's account list goes on, after its preflight: read a page at a
    /// time, by a reader thread (`nextListRead`) or by a worker with nothing else to do.
    struct ListRead: Sendable {
        var org: Int
        var context: OrgContext
        var position: PagePosition
    }

    /// One task, as handed to a worker.
    struct Assignment: Sendable {
        /// Unique in the run.
        var id: Int
        var org: Int
        var context: OrgContext
        /// The action's position in `context.actions`. An index, not the action: a task is
        /// moved and copied several times on its way to a worker, and an action (contact
        /// values, target lists) is a dozen references to retain and release at each copy.
        var actionIndex: Int
        /// The target account, nil for an org-level task.
        var member: String?
        var accountTrustedAccessPending: Bool
        /// The action's report-line template in this organization.
        var lineTemplate: ReportLineTemplate

        var action: JobAction { context.actions[actionIndex] }
    }

    /// Seconds of rate-bucket queue an organization may build while others are still being
    /// prepared.
    static let queueWhilePreparing = 0.5

    /// Codes that mean the organization's credentials no longer work: its remaining tasks
    /// fail at once with the same cause instead of each trying.
    static let credentialFailureCodes: Set<String> = [
        "InvalidClientTokenId", "UnrecognizedClientException", "ExpiredToken", "ExpiredTokenException",
        "SignatureDoesNotMatch", "InvalidSignatureException", "IncompleteSignature", "AuthFailure",
    ]

    private enum Phase {
        case waiting, preparing, running, finished
    }

    /// How far an organization's account list has been read.
    private enum Listing {
        case complete
        /// More pages are coming.
        case reading
        /// A page could not be read: the accounts after `members` are not known.
        case failed(ReportedError)

        var isComplete: Bool {
            if case .complete = self { return true }
            return false
        }
    }

    private struct OrgState {
        var org: JobOrg
        var phase: Phase = .waiting
        var context: OrgContext?
        /// The accounts read so far, in list order.
        var members: [OrgDirectory.Member] = []
        /// Per step: which accounts it applies to (nil for an org-level step), and which of
        /// `members` those are.
        var selectors: [TargetResolver.Selector?] = []
        var targets: [StepTargets] = []
        /// Per step: its report lines' shared fields, encoded once.
        var lineTemplates: [ReportLineTemplate] = []
        var listing = Listing.complete
        /// 0-based index of the step under way.
        var step = 0
        /// Next item of the step under way.
        var cursor = 0
        var outstanding = 0
        /// Why the rest of this org's steps are skipped (an org-level step failed).
        var blockedBy: String?
        /// The org's credentials were rejected: its remaining tasks fail with this.
        var credentialFailure: ReportedError?
        var accountTrustedAccessPending = false

        /// Appends a page of accounts, adding each to the steps it is a target of; returns the
        /// tasks that adds.
        mutating func add(_ page: [OrgDirectory.Member]) -> Int {
            var added = 0
            for member in page {
                for step in selectors.indices where selectors[step]?.chooses(member) == true {
                    targets[step].append(members.count)
                    added += 1
                }
                members.append(member)
            }
            return added
        }
    }

    private struct State {
        var orgs: [OrgState]
        var nextOrg = 0
        var nextID = 0
        var cancelled = false
        var resumedTasks = 0
        /// Organizations in `.preparing`.
        var preparing = 0
        /// Times a finished task woke a waiting worker, if one was waiting (for tests).
        var taskWakeUps = 0
        /// Workers waiting in `next`: whether a wake-up has anyone to reach (tests read it too,
        /// as they must know a worker waits before they go on).
        var waiting = 0
        /// Times a waiting worker woke (for tests: an event wakes one worker, not all).
        var wakeUps = 0
        /// Account lists to read on, the next first: an org's list goes on ahead of the lists
        /// not started, so lists end one after another and their steps can end.
        var listReads: [(org: Int, position: PagePosition)] = []
        /// Reader threads running (`listReaderLimit` at most).
        var listReaders = 0
    }

    private let condition = NSCondition()
    private var state: State
    private let job: Job
    private let mode: RunMode
    let factory: LineFactory
    private let profileOverride: String?
    /// Identities of tasks a previous report shows finished (`--resume`).
    private let finishedBefore: Set<String>
    /// Seconds an org's next task would wait for its rate bucket (0: it could go now).
    private let readiness: @Sendable (OrgContext, JobAction) -> Double
    /// Reader threads that may read account lists beside the workers at once.
    let listReaderLimit: Int

    init(
        job: Job, orgs: [JobOrg], mode: RunMode, factory: LineFactory, profileOverride: String?,
        finishedBefore: Set<String> = [], listReaders: Int = 0,
        readiness: @escaping @Sendable (OrgContext, JobAction) -> Double = { _, _ in 0 }
    ) {
        self.job = job
        listReaderLimit = max(0, listReaders)
        self.mode = mode
        self.factory = factory
        self.profileOverride = profileOverride
        self.finishedBefore = finishedBefore
        self.readiness = readiness
        state = State(orgs: orgs.map { OrgState(org: $0) })
    }

    // MARK: Workers' side

    /// The next piece of work, waiting while every organization is between steps; nil when
    /// the run is over (or cancelled). `emit` receives lines decided on the way.
    ///
    /// Waiting workers are woken one at a time (`wakeOne`): whatever may give them work wakes
    /// one, and a worker that wakes and finds work wakes the next, so the wake-ups follow the
    /// work and stop one past its end. Waking them all at each event (a prepared organization,
    /// a page of accounts, a step's end) woke every idle worker to find nothing and wait again:
    /// a futex call and a context switch each, about 1,300 of them in a 30-task run of 10
    /// organizations on 32 workers. The end of the run and a cancel still wake everyone.
    func next(emit: ([ReportLine]) -> Void) -> Work? {
        var lines: [ReportLine] = []
        condition.lock()
        var work: Work?
        var woken = false
        while true {
            if state.cancelled { break }
            work = findWork(&lines)
            if work != nil { break }
            if state.orgs.allSatisfy({ $0.phase == .finished }) {
                // This worker may have finished the last organization itself: the others
                // waiting must see it too.
                condition.broadcast()
                break
            }
            if !lines.isEmpty {
                condition.unlock()
                emit(lines)
                lines.removeAll()
                condition.lock()
                continue
            }
            state.waiting += 1
            condition.wait()
            state.waiting -= 1
            state.wakeUps += 1
            woken = true
        }
        // Woken to take work, and found some: there may be more for the next one.
        if woken, work != nil { wakeOne() }
        condition.unlock()
        emit(lines)
        return work
    }

    /// Wakes one waiting worker, if any (called with the lock held).
    private func wakeOne() {
        if state.waiting > 0 { condition.signal() }
    }

    /// A worker finished preparing an organization; `tasks` is how many its accounts so far give.
    func prepared(org index: Int, _ result: Result<PreparedOrg, PreflightFailure>) -> (lines: [ReportLine], tasks: Int) {
        condition.lock()
        defer {
            wakeOne()
            condition.unlock()
        }
        var org = state.orgs[index]
        state.preparing -= 1
        switch result {
        case .success(let prepared):
            org.context = prepared.context
            org.selectors = prepared.selectors
            let context = prepared.context
            org.lineTemplates = context.actions.map {
                factory.template(profile: context.profile.name ?? context.org.profile, context: context, action: $0)
            }
            org.targets = prepared.selectors.map { _ in StepTargets([]) }
            org.listing = prepared.rest == nil ? .complete : .reading
            _ = org.add(prepared.members)
            org.phase = .running
            state.orgs[index] = org
            let actions = prepared.context.actions
            return ([], actions.indices.reduce(0) { $0 + Self.itemCount(actions[$1], org.targets[$1]) })
        case .failure(let failure):
            org.phase = .finished
            state.orgs[index] = org
            var lines: [ReportLine] = []
            for action in job.actions {
                let resolved = (try? action.resolved(with: org.org.vars)) ?? action
                if finishedBefore.contains(LineFactory.identity(org: org.org, account: nil, action: resolved)) { continue }
                lines.append(
                    factory.line(
                        org: org.org, profile: profileOverride ?? org.org.profile, context: nil, action: resolved,
                        account: nil, status: .failed,
                        reason: "the organization could not be prepared, so no task of this action was sent",
                        error: failure.error, organizationID: failure.organizationID))
            }
            return (lines, lines.count)
        }
    }

    /// The next page of an organization's account list, read after its preflight (`last`: the
    /// list ends with it). Returns the tasks it adds.
    func listed(org index: Int, _ page: [OrgDirectory.Member], last: Bool) -> Int {
        condition.lock()
        defer { condition.unlock() }
        // After a cancel the drain reports the accounts not listed yet, whenever it ran.
        guard !state.cancelled, case .reading = state.orgs[index].listing else { return 0 }
        let added = state.orgs[index].add(page)
        if last { state.orgs[index].listing = .complete }
        if added > 0 || last { wakeOne() }
        return added
    }

    /// Queues the rest of an organization's account list: after its preflight, or, with
    /// `continuing`, after a page (then ahead of the others). A list after its preflight wakes
    /// a waiting worker, which reads it if it finds nothing else to do; a continuation wakes
    /// nobody, as whoever read the page comes back for it at once (a wake-up per page would
    /// mostly find nothing, and a worker that took the page from a reader would end it). True
    /// when the caller, `mayStartReader`, is to start a reader thread (one more is allowed),
    /// which takes lists with `nextListRead` until none is left.
    func queueListRead(org index: Int, from position: PagePosition, continuing: Bool = false, mayStartReader: Bool) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !state.cancelled, case .reading = state.orgs[index].listing, !position.isFinished else { return false }
        if continuing {
            state.listReads.insert((index, position), at: 0)
        } else {
            state.listReads.append((index, position))
            wakeOne()
        }
        guard mayStartReader, state.listReaders < listReaderLimit else { return false }
        state.listReaders += 1
        return true
    }

    /// For a reader thread: the next list to read a page of; nil when none is queued (or the
    /// run is cancelled), and the reader then counts as ended.
    func nextListRead() -> ListRead? {
        condition.lock()
        defer { condition.unlock() }
        if !state.cancelled, let read = popListRead() { return read }
        state.listReaders -= 1
        return nil
    }

    /// Reader threads running (for tests).
    var listReaders: Int { read(\.listReaders) }

    /// The next queued list read (called with the lock held).
    private func popListRead() -> ListRead? {
        while !state.listReads.isEmpty {
            let (org, position) = state.listReads.removeFirst()
            if let context = state.orgs[org].context, case .reading = state.orgs[org].listing {
                return ListRead(org: org, context: context, position: position)
            }
        }
        return nil
    }

    /// A page of an organization's account list could not be read after its preflight: its
    /// tasks not yet sent fail with `error`, and each account-level step still to end gets one
    /// line more, for the accounts never listed. Returns how many such lines that adds.
    func listingFailed(org index: Int, _ error: ReportedError) -> Int {
        condition.lock()
        defer { condition.unlock() }
        let org = state.orgs[index]
        guard !state.cancelled, case .reading = org.listing, let context = org.context else { return 0 }
        state.orgs[index].listing = .failed(error)
        condition.broadcast()
        return context.actions[org.step...].count { $0.isAccountLevel }
    }

    /// A worker finished a task. A waiting worker is woken only when this may give it
    /// something to do: a step's last task (the next step can start), a change to what the
    /// org's remaining tasks become, or, while organizations are still being prepared, a
    /// shorter queue (see `queueWhilePreparing`). Most tasks change none of these. The worker
    /// woken wakes the next if it finds work (see `next`).
    func finished(_ assignment: Assignment, _ line: ReportLine) {
        condition.lock()
        let changed = record(line, of: assignment, in: &state.orgs[assignment.org])
        if changed || state.preparing > 0 {
            state.taskWakeUps += 1
            wakeOne()
        }
        condition.unlock()
    }

    /// Times a finished task woke a waiting worker (or would have: nobody may be waiting).
    var taskWakeUps: Int { read(\.taskWakeUps) }

    /// Workers waiting in `next` for work to appear.
    var waitingWorkers: Int { read(\.waiting) }

    /// Times a waiting worker woke.
    var wakeUps: Int { read(\.wakeUps) }

    /// A field of the state, read under the lock.
    private func read<Value>(_ field: KeyPath<State, Value>) -> Value {
        condition.lock()
        defer { condition.unlock() }
        return state[keyPath: field]
    }

    /// What a finished task means for the rest of its organization's work; true when it may
    /// give a waiting worker something to do.
    private func record(_ line: ReportLine, of assignment: Assignment, in org: inout OrgState) -> Bool {
        org.outstanding -= 1
        var changed = org.outstanding == 0
        // Most tasks succeed: the action is looked at only when this one did not.
        guard line.status == .failed || mode == .plan else { return changed }
        let action = assignment.action
        if line.status == .failed, let error = line.error, Self.credentialFailureCodes.contains(error.code),
            org.credentialFailure == nil
        {
            org.credentialFailure = error
            changed = true
        }
        if line.status == .failed, !action.isAccountLevel, org.blockedBy == nil {
            changed = true
            org.blockedBy = "step \(action.step) (\(action.name) \(LineFactory.params(action).map(\.1).joined(separator: " "))) failed"
                + (line.error.map { ": \($0.code)" } ?? "")
        }
        if mode == .plan, line.status == .wouldChange,
            case .trustedAccess(OrgPreparer.accountManagementPrincipal, true) = action.kind
        {
            org.accountTrustedAccessPending = true
        }
        return changed
    }

    // MARK: Cancellation

    /// Stops handing out work; tasks under way finish.
    func cancel() {
        condition.lock()
        state.cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    var isCancelled: Bool { read(\.cancelled) }

    /// Tasks skipped because a previous report shows them finished.
    var resumedTasks: Int { read(\.resumedTasks) }

    /// After the workers have stopped: a `cancelled` line for every task not handed out.
    func drainUnstarted(emit: ([ReportLine]) -> Void) {
        condition.lock()
        let orgs = state.orgs
        condition.unlock()
        for org in orgs where org.phase != .finished {
            let profile = profileOverride ?? org.org.profile
            guard let context = org.context else {
                emit(job.actions.compactMap { action in
                    let resolved = (try? action.resolved(with: org.org.vars)) ?? action
                    if finishedBefore.contains(LineFactory.identity(org: org.org, account: nil, action: resolved)) { return nil }
                    return factory.line(
                        org: org.org, profile: profile, context: nil, action: resolved, account: nil, status: .cancelled,
                        reason: "interrupted before the organization was reached")
                })
                continue
            }
            for step in org.step..<context.actions.count {
                let action = context.actions[step]
                let targets = org.targets[step]
                let start = step == org.step ? org.cursor : 0
                var lines: [ReportLine] = []
                for item in start..<max(start, Self.itemCount(action, targets)) {
                    let account = Self.member(action, targets, item: item).map { org.members[$0].id }
                    if finishedBefore.contains(LineFactory.identity(org: org.org, account: account, action: action)) { continue }
                    lines.append(
                        factory.line(
                            org: org.org, profile: profile, context: context, action: action, account: account,
                            status: .cancelled, reason: "interrupted before this task was sent"))
                }
                if action.isAccountLevel, !org.listing.isComplete {
                    lines.append(
                        factory.unlistedLine(
                            org: org.org, profile: profile, context: context, action: action, status: .cancelled,
                            reason: "interrupted before the organization's account list was read to its end: the accounts "
                                + "after the first \(org.members.count) were not reached"))
                }
                emit(lines)
            }
        }
    }

    // MARK: The state machine (called with the lock held)

    /// The work any worker asking now would get: the answer does not depend on who asks.
    /// `next` relies on that to wake one worker at a time (a worker that took work without
    /// having waited wakes nobody); a preference of one worker over another would strand work.
    private func findWork(_ lines: inout [ReportLine]) -> Work? {
        let count = state.orgs.count
        // Organizations whose rate bucket would make the next task wait go last.
        var deferred: [(index: Int, wait: Double)] = []
        for offset in 0..<count {
            let index = (state.nextOrg + offset) % count
            switch state.orgs[index].phase {
            case .waiting:
                state.orgs[index].phase = .preparing
                state.preparing += 1
                state.nextOrg = (index + 1) % count
                return .prepare(org: index)
            case .running:
                // Read in place: a copy of the org's state would retain every field of it.
                if let context = state.orgs[index].context, state.orgs[index].step < context.actions.count,
                    state.orgs[index].blockedBy == nil, state.orgs[index].credentialFailure == nil
                {
                    let wait = readiness(context, context.actions[state.orgs[index].step])
                    if wait > 0 {
                        deferred.append((index, wait))
                        continue
                    }
                }
                if let assignment = nextTask(index, &lines) {
                    state.nextOrg = (index + 1) % count
                    return .task(assignment)
                }
            case .preparing, .finished:
                continue
            }
        }
        // While other organizations are still being prepared, a worker does not queue behind
        // one that already has work under way and a wait beyond `queueWhilePreparing`: it
        // waits for the others instead. Otherwise every free worker at the start of a run
        // queues on the first organization ready, each with a reservation at that bucket's
        // starting rate, and that organization ends the run up to a second late.
        let preparing = !deferred.isEmpty && state.preparing > 0
        for (index, wait) in deferred.sorted(by: { $0.wait < $1.wait }) {
            if preparing, wait > Self.queueWhilePreparing, state.orgs[index].outstanding > 0 { continue }
            if let assignment = nextTask(index, &lines) {
                state.nextOrg = (index + 1) % count
                return .task(assignment)
            }
        }
        // Nothing to send: read on an account list, whose pages may give tasks.
        return popListRead().map(Work.listRead)
    }

    private func nextTask(_ index: Int, _ lines: inout [ReportLine]) -> Assignment? {
        var resumed = 0
        let found = nextTask(in: &state.orgs[index], index, &lines, resumed: &resumed)
        state.resumedTasks += resumed
        guard var assignment = found else { return nil }
        state.nextID += 1
        assignment.id = state.nextID
        return assignment
    }

    /// The org's next task (its `id` still to be set), changing the org's state in place;
    /// touches nothing else of `state`.
    private func nextTask(
        in org: inout OrgState, _ index: Int, _ lines: inout [ReportLine], resumed: inout Int
    ) -> Assignment? {
        guard let context = org.context else { return nil }
        let profile = profileOverride ?? org.org.profile
        while org.step < context.actions.count {
            let action = context.actions[org.step]
            let targets = org.targets[org.step]
            let items = Self.itemCount(action, targets)
            guard org.cursor < items else {
                // Every item known so far has been handed out.
                guard org.outstanding == 0 else { return nil }  // the step is still under way
                if action.isAccountLevel {
                    switch org.listing {
                    case .reading:
                        return nil  // more accounts to come: the next page wakes the workers
                    case .failed(let error):
                        lines.append(
                            factory.unlistedLine(
                                org: org.org, profile: profile, context: context, action: action, status: .failed,
                                reason: "not sent to the accounts after the first \(org.members.count): the organization's "
                                    + "account list could not be read to its end",
                                error: error))
                    case .complete where items == 0:
                        lines.append(
                            factory.line(
                                org: org.org, profile: profile, context: context, action: action, account: nil,
                                status: .skipped, reason: "no target account of this step in the organization"))
                    case .complete:
                        break
                    }
                }
                org.step += 1
                org.cursor = 0
                continue
            }
            let memberIndex = Self.member(action, targets, item: org.cursor)
            org.cursor += 1
            let member = memberIndex.map { org.members[$0] }
            if !finishedBefore.isEmpty,
                finishedBefore.contains(LineFactory.identity(org: org.org, account: member?.id, action: action))
            {
                resumed += 1
                continue
            }
            if let (failure, reason) = Self.halt(org) {
                lines.append(
                    factory.line(
                        org: org.org, profile: profile, context: context, action: action, account: member?.id,
                        status: .failed, reason: reason, error: failure))
                continue
            }
            if let skip = skipReason(org, context, member) {
                lines.append(
                    factory.line(
                        org: org.org, profile: profile, context: context, action: action, account: member?.id,
                        status: .skipped, reason: skip))
                continue
            }
            org.outstanding += 1
            return Assignment(
                id: 0, org: index, context: context, actionIndex: org.step, member: member?.id,
                accountTrustedAccessPending: org.accountTrustedAccessPending,
                lineTemplate: org.lineTemplates[org.step])
        }
        org.phase = .finished
        return nil
    }

    /// Why the org's tasks not yet sent fail unsent, and the error they carry.
    private static func halt(_ org: OrgState) -> (ReportedError, reason: String)? {
        if let failure = org.credentialFailure {
            return (failure, "not sent: the organization's credentials were rejected (\(failure.code))")
        }
        if case .failed(let failure) = org.listing {
            return (failure, "not sent: the organization's account list could not be read to its end")
        }
        return nil
    }

    private func skipReason(_ org: OrgState, _ context: OrgContext, _ member: OrgDirectory.Member?) -> String? {
        if let blocked = org.blockedBy { return blocked }
        guard let member else { return nil }
        if member.state != "ACTIVE" { return "account state is \(member.state), not ACTIVE" }
        if member.id == context.managementAccountID, !context.callerIsManagementAccount {
            return "the management account's settings can only be changed from the management account itself"
        }
        return nil
    }

    /// Items of a step: one for an org-level action; one per target account for an
    /// account-level one, plus, for `audit`, one org-level item first.
    private static func itemCount(_ action: JobAction, _ targets: StepTargets) -> Int {
        guard action.isAccountLevel else { return 1 }
        return targets.count + (action.kind == .audit ? 1 : 0)
    }

    /// The member index of an item, nil for the org-level item.
    private static func member(_ action: JobAction, _ targets: StepTargets, item: Int) -> Int? {
        guard action.isAccountLevel else { return nil }
        if action.kind == .audit { return item == 0 ? nil : targets[item - 1] }
        return targets[item]
    }
}
