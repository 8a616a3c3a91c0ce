import Dispatch
import Foundation
import Synchronization
import Testing

@testable import OrgBatch

@Suite("Scheduler: handing work to the workers")
struct SchedulerTests {
    /// An org of five accounts, every one a target of the job's one step; with `rest`, more
    /// are still to be listed.
    static func prepared(
        _ org: JobOrg, _ job: Job, management: String, targets: TargetSpec = TargetSpec(), rest: PagePosition? = nil
    ) -> PreparedOrg {
        let members = (1...5).map { OrgDirectory.Member(id: "\(management.dropLast())\($0)", state: "ACTIVE", ancestors: []) }
        let context = OrgContext(
            org: org,
            profile: ResolvedProfile(
                name: org.profile, region: "us-east-1", credentials: StaticCredentialProvider(Fixtures.keys, source: "test"),
                endpoints: [:], maxAttempts: nil),
            organizationID: "o-\(org.name)", managementAccountID: management, callerAccountID: management,
            actions: job.actions, maxAttempts: 3)
        let selector = try! TargetResolver.Selector(
            targets, in: OrgDirectory(rootID: nil, members: [], ouByPath: [:]), managementAccountID: management)
        return PreparedOrg(context: context, members: members, selectors: job.actions.map { _ in selector }, rest: rest)
    }

    /// Orgs prod and dev, one contact step.
    static func contactJob() throws -> Job {
        try JobLoader(sharedConfig: FakeAWS.config(JobRunnerTests.profiles))
            .load(text: JobRunnerResilienceTests.contact, path: "job.yaml")
    }

    static func scheduler(_ job: Job, listReaders: Int = 0) -> Scheduler {
        Scheduler(
            job: job, orgs: job.orgs, mode: .run, factory: LineFactory(runID: "run", clock: ManualClock()),
            profileOverride: nil, listReaders: listReaders)
    }

    /// The line of a task that changed its account.
    static func changed(_ scheduler: Scheduler, _ assignment: Scheduler.Assignment) -> ReportLine {
        scheduler.factory.line(
            org: assignment.context.org, profile: "p", context: assignment.context, action: assignment.action,
            account: assignment.member, status: .changed)
    }

    @Test func whileOthersArePreparedTheFirstReadyOrgDoesNotTakeEveryWorker() throws {
        // Orgs prod (a) and dev (b), one contact step.
        let config = try FakeAWS.config(JobRunnerTests.profiles)
        let job = try JobLoader(sharedConfig: config).load(text: JobRunnerResilienceTests.contact, path: "job.yaml")
        // Org a's bucket is 2 s behind; b's has a token. The second time a worker asks about a,
        // the test hears of it.
        let askedAboutA = Mutex(0)
        let secondAsk = DispatchSemaphore(value: 0)
        let scheduler = Scheduler(
            job: job, orgs: job.orgs, mode: .run, factory: LineFactory(runID: "run", clock: ManualClock()),
            profileOverride: nil,
            readiness: { context, _ in
                guard context.org.name == "prod" else { return 0 }
                if askedAboutA.withLock({ $0 += 1; return $0 }) == 2 { secondAsk.signal() }
                return 2
            })
        let none: @Sendable ([ReportLine]) -> Void = { _ in }
        guard case .prepare(let first) = scheduler.next(emit: none), case .prepare(let second) = scheduler.next(emit: none)
        else { Issue.record("both orgs should be handed out to prepare first"); return }
        #expect([first, second].sorted() == [0, 1])
        _ = scheduler.prepared(org: 0, .success(Self.prepared(job.orgs[0], job, management: "100000000000")))

        // a has nothing under way: a worker takes its task, however long it waits for a token.
        guard case .task(let taken) = scheduler.next(emit: none) else { Issue.record("a's task"); return }
        #expect(taken.org == 0)

        // b is still being prepared, and a has a task under way and a long queue: the next
        // worker waits for b rather than queue behind a.
        let got = Mutex<Int?>(nil)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            if case .task(let assignment) = scheduler.next(emit: none) { got.withLock { $0 = assignment.org } }
            done.signal()
        }
        secondAsk.wait()  // the worker looked at a (and, under the lock, took its task or began to wait)
        _ = scheduler.prepared(org: 1, .success(Self.prepared(job.orgs[1], job, management: "200000000000")))
        done.wait()
        #expect(got.withLock { $0 } == 1)
    }

    @Test func onlyAFinishThatCanGiveWorkWakesTheWaitingWorkers() throws {
        let job = try Self.contactJob()
        let scheduler = Self.scheduler(job)
        let none: @Sendable ([ReportLine]) -> Void = { _ in }
        for (index, management) in [(0, "100000000000"), (1, "200000000000")] {
            guard case .prepare(let org) = scheduler.next(emit: none) else { Issue.record("prepare"); return }
            #expect(org == index)
            _ = scheduler.prepared(org: org, .success(Self.prepared(job.orgs[org], job, management: management)))
        }
        // Both orgs' five tasks of their only step, handed out.
        var assignments: [Scheduler.Assignment] = []
        while assignments.count < 10, case .task(let assignment) = scheduler.next(emit: none) {
            assignments.append(assignment)
        }
        #expect(assignments.count == 10)

        // Three workers find nothing left to hand out and wait.
        let returned = DispatchGroup()
        let ended = Mutex(0)
        for _ in 0..<3 {
            DispatchQueue.global().async(group: returned) {
                if case .none = scheduler.next(emit: none) { ended.withLock { $0 += 1 } }
            }
        }
        let line = { Self.changed(scheduler, $0) }
        // A finish that leaves its org's step under way gives nobody work: nobody is woken.
        let prod = assignments.filter { $0.org == 0 }
        let dev = assignments.filter { $0.org == 1 }
        for assignment in prod.dropLast() { scheduler.finished(assignment, line(assignment)) }
        #expect(scheduler.taskWakeUps == 0)
        // The step's last task: the org can move on (here, to its end).
        scheduler.finished(prod.last!, line(prod.last!))
        #expect(scheduler.taskWakeUps == 1)
        for assignment in dev { scheduler.finished(assignment, line(assignment)) }
        #expect(scheduler.taskWakeUps == 2)
        // Every waiting worker hears that the run is over.
        #expect(returned.wait(timeout: .now() + 10) == .success)
        #expect(ended.withLock { $0 } == 3)
    }

    /// A scheduler of `contactJob` whose two orgs have both been handed out to prepare;
    /// `first` is the one handed out first.
    static func bothBeingPrepared() throws -> (Job, Scheduler, first: Int) {
        let job = try contactJob()
        let scheduler = Self.scheduler(job)
        guard case .prepare(let first) = scheduler.next(emit: { _ in }), case .prepare = scheduler.next(emit: { _ in })
        else { throw Failure("both orgs are handed out to prepare first") }
        return (job, scheduler, first)
    }

    @Test func wakeUpsFollowTheWorkAndStopOnePastItsEnd() throws {
        let (job, scheduler, first) = try Self.bothBeingPrepared()
        let none: @Sendable ([ReportLine]) -> Void = { _ in }
        // Eight workers wait, on threads of their own (Dispatch's pool grows slowly past the
        // cores when its threads block): both orgs are being prepared.
        let tasks = Mutex(0)
        let returned = DispatchGroup()
        for _ in 0..<8 {
            returned.enter()
            Thread {
                if case .task = scheduler.next(emit: none) { tasks.withLock { $0 += 1 } }
                returned.leave()
            }.start()
        }
        let deadline = Date() + 10
        while scheduler.waitingWorkers < 8 && Date() < deadline { usleep(100) }
        try #require(scheduler.waitingWorkers == 8)
        #expect(scheduler.wakeUps == 0)

        // One org ready with five tasks: five workers take them, one by one, and the sixth,
        // woken by the fifth, finds nothing and waits again. Nobody else is woken.
        _ = scheduler.prepared(org: first, .success(Self.prepared(job.orgs[first], job, management: "100000000000")))
        while (scheduler.wakeUps < 6 || scheduler.waitingWorkers > 3) && Date() < deadline { usleep(100) }
        usleep(50_000)  // room for any wake-up too many to show
        // Six, or seven should the system wake a waiter spuriously; waking all makes it eight.
        #expect((6...7).contains(scheduler.wakeUps))
        #expect(scheduler.waitingWorkers == 3)
        #expect(tasks.withLock { $0 } == 5)

        // The run is cancelled: the three still waiting hear it.
        scheduler.cancel()
        #expect(returned.wait(timeout: .now() + 10) == .success)
        #expect(tasks.withLock { $0 } == 5)
    }

    @Test func aFinishWakesTheWaitingWorkersWhileOrgsAreBeingPrepared() throws {
        let (job, scheduler, first) = try Self.bothBeingPrepared()
        let none: @Sendable ([ReportLine]) -> Void = { _ in }
        _ = scheduler.prepared(org: first, .success(Self.prepared(job.orgs[first], job, management: "100000000000")))
        guard case .task(let assignment) = scheduler.next(emit: none) else { Issue.record("task"); return }
        // The other org is still being prepared: a queue that shortens may now be worth joining.
        scheduler.finished(assignment, Self.changed(scheduler, assignment))
        #expect(scheduler.taskWakeUps == 1)
    }

    // MARK: Accounts listed while the first step runs

    /// Org prod, two contact steps.
    static func twoStepJob() throws -> Job {
        try JobLoader(sharedConfig: FakeAWS.config(JobRunnerTests.profiles))
            .load(
                text: """
                    orgs:
                      - {name: prod, profile: prod}
                    actions:
                      - alternateContact: {type: SECURITY, name: Sec, title: Security, email: sec@example.com, phone: "+1 1"}
                      - alternateContact: {type: BILLING, name: Bill, title: Billing, email: bill@example.com, phone: "+1 1"}
                    """, path: "job.yaml")
    }

    /// A scheduler of `twoStepJob` whose org was prepared with five accounts and more to list.
    static func listing(targets: TargetSpec = TargetSpec(), listReaders: Int = 0) throws -> (Scheduler, org: Int) {
        let job = try twoStepJob()
        let scheduler = Self.scheduler(job, listReaders: listReaders)
        guard case .prepare(let org) = scheduler.next(emit: { _ in }) else { throw Failure("the org is prepared first") }
        _ = scheduler.prepared(
            org: org,
            .success(
                prepared(job.orgs[org], job, management: "100000000000", targets: targets, rest: PagePosition())))
        return (scheduler, org)
    }

    struct Failure: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// Takes `count` tasks and finishes each, as a worker would.
    static func finish(_ count: Int, of scheduler: Scheduler) throws {
        for _ in 0..<count {
            guard case .task(let assignment) = scheduler.next(emit: { _ in }) else { throw Failure("a task") }
            scheduler.finished(assignment, changed(scheduler, assignment))
        }
    }

    static func member(_ id: String) -> OrgDirectory.Member {
        OrgDirectory.Member(id: id, state: "ACTIVE", ancestors: [])
    }

    /// A worker's `next()` on a thread of its own: it may have to wait.
    final class PendingWork: Sendable {
        private let result = Mutex<Scheduler.Work??>(nil)
        private let emitted = Mutex<[ReportLine]>([])
        private let done = DispatchSemaphore(value: 0)

        /// Returns once the worker has work or waits for it (so what the test does next cannot
        /// overtake it).
        init(_ scheduler: Scheduler) {
            let waitingBefore = scheduler.waitingWorkers
            DispatchQueue.global().async { [self] in
                let work = scheduler.next(emit: { lines in self.emitted.withLock { $0 += lines } })
                result.withLock { $0 = work }
                done.signal()
            }
            let deadline = Date() + 10
            while scheduler.waitingWorkers == waitingBefore, result.withLock({ $0 == nil }), Date() < deadline { usleep(100) }
        }

        /// The work the worker got; nil when it got none, or none within 10 s.
        var work: Scheduler.Work? {
            guard done.wait(timeout: .now() + 10) == .success else { return nil }
            return result.withLock { $0 } ?? nil
        }

        /// The lines the worker was given to write on the way (read after `work`).
        var lines: [ReportLine] { emitted.withLock { $0 } }

    }

    @Test func aStepTakesAccountsAsTheirPagesArriveAndEndsOnlyWithTheList() throws {
        let (scheduler, org) = try Self.listing()
        let none: @Sendable ([ReportLine]) -> Void = { _ in }
        var firstStep: [Scheduler.Assignment] = []
        while firstStep.count < 5, case .task(let assignment) = scheduler.next(emit: none) { firstStep.append(assignment) }
        #expect(firstStep.map(\.action.step) == [1, 1, 1, 1, 1])
        for assignment in firstStep { scheduler.finished(assignment, Self.changed(scheduler, assignment)) }

        // Every account listed so far is done, but the list goes on: step 2 must not start. A
        // worker waits, and the next page gives it step 1's sixth account.
        let sixth = PendingWork(scheduler)
        #expect(scheduler.listed(org: org, [Self.member("100000000006")], last: false) == 2)
        guard case .task(let assignment) = sixth.work else { Issue.record("the sixth account's task"); return }
        try #require(assignment.member == "100000000006")
        try #require(assignment.action.step == 1)
        scheduler.finished(assignment, Self.changed(scheduler, assignment))

        // The last page (empty, as AWS may send) ends the list: step 2 covers all six accounts.
        let next = PendingWork(scheduler)
        #expect(scheduler.listed(org: org, [], last: true) == 0)
        guard case .task(let secondStep) = next.work else { Issue.record("step 2"); return }
        try #require(secondStep.action.step == 2)
        var accounts = [secondStep.member]
        while accounts.count < 6, case .task(let assignment) = PendingWork(scheduler).work {
            accounts.append(assignment.member)
        }
        #expect(accounts == (1...6).map { "10000000000\($0)" })
    }

    /// A list position with a `NextToken`, to tell positions apart.
    static func position(_ token: String) -> PagePosition {
        var position = PagePosition()
        position.nextToken = token
        return position
    }

    @Test func queuedListsGoToReaderThreadsUpToTheLimitAListGoingOnFirst() throws {
        let (scheduler, org) = try Self.listing(listReaders: 1)
        #expect(scheduler.queueListRead(org: org, from: Self.position("a"), mayStartReader: true))
        // The one reader is running: no second, and a caller that may not start one never does.
        #expect(!scheduler.queueListRead(org: org, from: Self.position("b"), continuing: true, mayStartReader: true))
        #expect(!scheduler.queueListRead(org: org, from: Self.position("c"), mayStartReader: false))
        #expect(scheduler.listReaders == 1)
        #expect(scheduler.nextListRead()?.position.nextToken == "b")
        #expect(scheduler.nextListRead()?.position.nextToken == "a")
        #expect(scheduler.nextListRead()?.position.nextToken == "c")
        #expect(scheduler.nextListRead() == nil)
        // The reader that found none has ended: the next list may start one again.
        #expect(scheduler.listReaders == 0)
        #expect(scheduler.queueListRead(org: org, from: Self.position("d"), mayStartReader: true))
    }

    @Test func aWorkerReadsAQueuedListOnlyWhenItHasNothingToSend() throws {
        let (scheduler, org) = try Self.listing()
        #expect(!scheduler.queueListRead(org: org, from: Self.position("a"), mayStartReader: true))  // no readers allowed
        // The first page's five tasks come first, then the list.
        for _ in 0..<5 {
            guard case .task = scheduler.next(emit: { _ in }) else { Issue.record("a first-page task"); return }
        }
        guard case .listRead(let read) = scheduler.next(emit: { _ in }) else { Issue.record("the list"); return }
        #expect(read.org == org && read.position.nextToken == "a")
        // A waiting worker is woken by a list queued after its preflight (a continuation wakes
        // nobody: whoever read the page comes back for it).
        let waiting = PendingWork(scheduler)
        #expect(!scheduler.queueListRead(org: org, from: Self.position("b"), mayStartReader: true))
        guard case .listRead(let next) = waiting.work else { Issue.record("the list, after a wait"); return }
        #expect(next.position.nextToken == "b")
    }

    @Test func noListIsReadAfterACancelOrOnceTheListHasEnded() throws {
        let (scheduler, org) = try Self.listing(listReaders: 4)
        var ended = PagePosition()
        ended.isFinished = true
        #expect(!scheduler.queueListRead(org: org, from: ended, mayStartReader: true))
        #expect(scheduler.queueListRead(org: org, from: Self.position("a"), mayStartReader: true))
        scheduler.cancel()
        #expect(scheduler.nextListRead() == nil)
        #expect(scheduler.listReaders == 0)
        #expect(!scheduler.queueListRead(org: org, from: Self.position("b"), mayStartReader: true))
    }

    @Test func anAccountOnALaterPageIsNotSkippedAsMissing() throws {
        let (scheduler, org) = try Self.listing(targets: TargetSpec(accounts: .list(["100000000009"])))
        // None of the five accounts so far is the target: the step waits for the list, it is
        // not skipped as having no target.
        let pending = PendingWork(scheduler)
        #expect(scheduler.listed(org: org, [Self.member("100000000009")], last: true) == 2)
        guard case .task(let assignment) = pending.work else { Issue.record("the listed account's task"); return }
        #expect(assignment.member == "100000000009")
    }

    @Test func aListThatCannotBeReadToItsEndFailsTheOrgsUnsentTasks() throws {
        let (scheduler, org) = try Self.listing()
        try Self.finish(2, of: scheduler)
        let error = ReportedError(code: "AccessDeniedException", message: "no", operation: "ListAccounts")
        // One line more for each step: the accounts never listed.
        #expect(scheduler.listingFailed(org: org, error) == 2)
        let lines = Mutex<[ReportLine]>([])
        if case .some = scheduler.next(emit: { new in lines.withLock { $0 += new } }) { Issue.record("no work is left") }
        let emitted = lines.withLock { $0 }
        // Step 1: three accounts not sent, then the rest; step 2: five, then the rest.
        #expect(emitted.map(\.account) == [
            "100000000003", "100000000004", "100000000005", nil,
            "100000000001", "100000000002", "100000000003", "100000000004", "100000000005", nil,
        ])
        #expect(emitted.allSatisfy { $0.status == .failed && $0.error == error })
        #expect(emitted.last?.reason?.contains("after the first 5") == true)
        #expect(emitted.filter { $0.account == nil }.allSatisfy { $0.params.last! == ("accounts", "unlisted") })
    }

    @Test func aWorkerWaitingForTheNextPageHearsThatTheListFailed() throws {
        let (scheduler, org) = try Self.listing()
        try Self.finish(5, of: scheduler)
        let waiting = PendingWork(scheduler)
        #expect(scheduler.waitingWorkers == 1)
        #expect(scheduler.listingFailed(org: org, ReportedError(code: "ThrottlingException", message: "slow")) == 2)
        #expect(waiting.work == nil)
        // Step 1's unlisted accounts; step 2's five and its unlisted ones.
        #expect(waiting.lines.map(\.account) == [nil] + (1...5).map { "10000000000\($0)" } + [nil])
        #expect(waiting.lines.allSatisfy { $0.error?.code == "ThrottlingException" })
    }

    @Test func anAuditStepsUnlistedAccountsHaveAnIdentityOfTheirOwn() throws {
        let job = try JobLoader(sharedConfig: FakeAWS.config(JobRunnerTests.profiles))
            .load(text: "orgs: [{name: prod, profile: prod}]\nactions:\n  - audit: {}\n", path: "job.yaml")
        let scheduler = Self.scheduler(job)
        guard case .prepare(let org) = scheduler.next(emit: { _ in }) else { Issue.record("prepare"); return }
        _ = scheduler.prepared(
            org: org, .success(Self.prepared(job.orgs[org], job, management: "100000000000", rest: PagePosition())))
        scheduler.cancel()
        var lines: [ReportLine] = []
        scheduler.drainUnstarted { lines += $0 }
        // The org-level item, five accounts, the accounts not listed: seven tasks, seven identities.
        #expect(lines.count == 7)
        let identities = lines.map {
            LineFactory.identity(org: $0.org, account: $0.account, action: $0.action, params: $0.params)
        }
        #expect(Set(identities).count == 7)
    }

    @Test func anInterruptReportsTheAccountsNeverListed() throws {
        let (scheduler, _) = try Self.listing()
        let none: @Sendable ([ReportLine]) -> Void = { _ in }
        guard case .task = scheduler.next(emit: none), case .task = scheduler.next(emit: none) else {
            Issue.record("tasks")
            return
        }
        scheduler.cancel()
        var lines: [ReportLine] = []
        scheduler.drainUnstarted { lines += $0 }
        #expect(lines.map(\.account) == [
            "100000000003", "100000000004", "100000000005", nil,
            "100000000001", "100000000002", "100000000003", "100000000004", "100000000005", nil,
        ])
        #expect(lines.allSatisfy { $0.status == .cancelled })
        #expect(lines.last?.reason?.contains("account list") == true)
    }
}
