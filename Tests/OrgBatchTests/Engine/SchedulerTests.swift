import Dispatch
import Foundation
import Synchronization
import Testing

@testable import OrgBatch

@Suite("Scheduler: handing work to the workers")
struct SchedulerTests {
    static func context(_ org: JobOrg, _ job: Job, management: String) -> OrgContext {
        let members = (1...5).map { OrgDirectory.Member(id: "\(management.dropLast())\($0)", state: "ACTIVE", ancestors: []) }
        return OrgContext(
            org: org,
            profile: ResolvedProfile(
                name: org.profile, region: "us-east-1", credentials: StaticCredentialProvider(Fixtures.keys, source: "test"),
                endpoints: [:], maxAttempts: nil),
            organizationID: "o-\(org.name)", managementAccountID: management, callerAccountID: management,
            directory: OrgDirectory(rootID: nil, members: members, ouByPath: [:]), actions: job.actions,
            stepTargets: [StepTargets(0..<members.count)], maxAttempts: 3)
    }

    /// Orgs prod and dev, one contact step.
    static func contactJob() throws -> Job {
        try JobLoader(sharedConfig: FakeAWS.config(JobRunnerTests.profiles))
            .load(text: JobRunnerResilienceTests.contact, path: "job.yaml")
    }

    static func scheduler(_ job: Job) -> Scheduler {
        Scheduler(
            job: job, orgs: job.orgs, mode: .run, factory: LineFactory(runID: "run", clock: ManualClock()),
            profileOverride: nil)
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
        _ = scheduler.prepared(org: 0, .success(Self.context(job.orgs[0], job, management: "100000000000")))

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
        _ = scheduler.prepared(org: 1, .success(Self.context(job.orgs[1], job, management: "200000000000")))
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
            _ = scheduler.prepared(org: org, .success(Self.context(job.orgs[org], job, management: management)))
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

    @Test func aFinishWakesTheWaitingWorkersWhileOrgsAreBeingPrepared() throws {
        let job = try Self.contactJob()
        let scheduler = Self.scheduler(job)
        let none: @Sendable ([ReportLine]) -> Void = { _ in }
        guard case .prepare(let first) = scheduler.next(emit: none), case .prepare = scheduler.next(emit: none)
        else { Issue.record("prepare"); return }
        _ = scheduler.prepared(org: first, .success(Self.context(job.orgs[first], job, management: "100000000000")))
        guard case .task(let assignment) = scheduler.next(emit: none) else { Issue.record("task"); return }
        // The other org is still being prepared: a queue that shortens may now be worth joining.
        scheduler.finished(assignment, Self.changed(scheduler, assignment))
        #expect(scheduler.taskWakeUps == 1)
    }
}
