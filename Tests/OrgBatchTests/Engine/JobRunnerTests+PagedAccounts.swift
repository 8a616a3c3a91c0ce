import Dispatch
import Foundation
import Synchronization
import Testing

@testable import OrgBatch

/// Account lists of several pages, as AWS gives them (20 accounts a page): tasks start on the
/// first page while the rest is read.
extension JobRunnerTests {
    /// bigWorld's two orgs of 41 accounts, listed 20 to a page.
    static func pagedWorld() -> FakeAWS {
        let aws = JobRunnerResilienceTests.bigWorld()
        aws.accountsPerPage.withLock { $0 = 20 }
        return aws
    }

    @Test func tasksStartOnTheFirstPageWhileTheRestIsRead() throws {
        let aws = Self.pagedWorld()
        // prod's second page is answered only once a contact has been written.
        let written = DispatchSemaphore(value: 0)
        let pages = Mutex(0)
        let waitedInVain = Mutex(false)
        aws.hook.withLock {
            $0 = { call in
                if call.hasSuffix(":PutAlternateContact") { written.signal() }
                guard call == "100000000000:ListAccounts", pages.withLock({ $0 += 1; return $0 }) == 2 else { return }
                if written.wait(timeout: .now() + 10) == .timedOut { waitedInVain.withLock { $0 = true } }
            }
        }
        let outcome = try Self.run(JobRunnerResilienceTests.contact, aws, concurrency: 4)
        #expect(!waitedInVain.withLock { $0 })
        #expect(outcome.lines.count == 2 * 41)
        #expect(Set(outcome.identities).count == outcome.lines.count)
        #expect(outcome.statuses() == ["changed": 82])
        #expect(outcome.summary.tally.expected == 82)
        #expect(aws.calls.filter { $0 == "100000000000:ListAccounts" }.count == 3)
    }

    @Test func anInterruptWhileTheListIsReadReportsEveryTaskOnce() throws {
        let aws = Self.pagedWorld()
        let pages = Mutex(0)
        let outcome = try Self.run(JobRunnerResilienceTests.contact, aws, concurrency: 4) { runner in
            aws.hook.withLock {
                $0 = { call in
                    guard call == "100000000000:ListAccounts", pages.withLock({ $0 += 1; return $0 }) == 2 else { return }
                    runner.cancel()
                }
            }
        }
        #expect(outcome.summary.cancelled)
        #expect(Set(outcome.identities).count == outcome.lines.count)
        #expect(outcome.statuses()["failed"] == nil)
        // prod's list stopped after its first page: one line for the accounts never listed.
        let prod = outcome.lines.filter { $0["org"] as? String == "prod" }
        let unlisted = prod.filter { ($0["params"] as? [String: Any])?["accounts"] as? String == "unlisted" }
        #expect(unlisted.count == 1)
        #expect(unlisted.first?["status"] as? String == "cancelled")
        #expect(prod.count == 20 + 1)
    }

    @Test(arguments: [1, 4]) func anAccountListThatFailsPartWayFailsTheRestOfThatOrg(concurrency: Int) throws {
        let aws = Self.pagedWorld()
        // prod's second page is refused.
        let pages = Mutex(0)
        aws.hook.withLock {
            $0 = { call in
                guard call == "100000000000:ListAccounts", pages.withLock({ $0 += 1; return $0 }) == 2 else { return }
                aws.fail("100000000000", "ListAccounts", .init(status: 400, code: "AccessDeniedException", message: "no more"))
            }
        }
        let outcome = try Self.run(JobRunnerResilienceTests.contact, aws, concurrency: concurrency)
        #expect(Set(outcome.identities).count == outcome.lines.count)
        #expect(outcome.statuses(org: "dev") == ["changed": 41])
        // prod: its first page's 20 accounts, each written or failed unsent, and one line for
        // the accounts never listed.
        let prod = outcome.lines.filter { $0["org"] as? String == "prod" }
        #expect(prod.count == 21)
        let failed = prod.filter { $0["status"] as? String == "failed" }
        #expect(failed.allSatisfy { ($0["error"] as? [String: Any])?["code"] as? String == "AccessDeniedException" })
        #expect(failed.count + (outcome.statuses(org: "prod")["changed"] ?? 0) == 21)
        let rest = try #require(prod.first { ($0["params"] as? [String: Any])?["accounts"] as? String == "unlisted" })
        #expect(rest["account"] is NSNull)
        #expect(rest["status"] as? String == "failed")
        #expect((rest["reason"] as? String)?.contains("after the first 20") == true)
        #expect(outcome.summary.tally.expected == outcome.lines.count)
        if concurrency == 1 {
            // One worker reads the list itself before any task: nothing of prod was sent.
            #expect(failed.count == 21)
        }
    }

    @Test func theWorkerThatPreparedAnOrgGoesOnToItsTasksWhileTheListIsRead() throws {
        // One org, two workers. prod's second page is answered only once two contacts have
        // been written, and the first contact write only once a second is under way: both
        // workers must be writing while the list is read.
        let aws = Self.pagedWorld()
        let writes = Mutex(0)
        let secondWrite = DispatchSemaphore(value: 0)
        let twoWrites = DispatchSemaphore(value: 0)
        let pages = Mutex(0)
        let waitedInVain = Mutex(false)
        let wait: @Sendable (DispatchSemaphore) -> Void = { semaphore in
            if semaphore.wait(timeout: .now() + 10) == .timedOut { waitedInVain.withLock { $0 = true } }
        }
        aws.hook.withLock {
            $0 = { call in
                if call.hasSuffix(":PutAlternateContact") {
                    switch writes.withLock({ $0 += 1; return $0 }) {
                    case 1: wait(secondWrite)
                    case 2: secondWrite.signal(); twoWrites.signal()
                    default: break
                    }
                }
                if call == "100000000000:ListAccounts", pages.withLock({ $0 += 1; return $0 }) == 2 { wait(twoWrites) }
            }
        }
        let outcome = try Self.run(JobRunnerResilienceTests.contact, aws, concurrency: 2, orgs: ["prod"])
        #expect(!waitedInVain.withLock { $0 })
        #expect(outcome.statuses() == ["changed": 41])
    }
}
