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
}
