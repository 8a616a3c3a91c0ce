import Foundation
import Testing

@testable import OrgBatch

@Suite("RunTally: counts and the end-of-run summary")
struct RunTallyTests {
    static func tally(_ entries: [(org: String, status: TaskStatus, throttled: Int)]) -> RunTally {
        var tally = RunTally()
        for entry in entries {
            tally.add(
                ReportLine(
                    runID: "r", time: Date(timeIntervalSince1970: 0), org: entry.org, orgID: nil, profile: "p", account: nil,
                    action: "audit", step: 1, params: [], status: entry.status, throttled: entry.throttled))
        }
        return tally
    }

    @Test func summaryListsOrgsByNameAndStatusesInReportOrder() {
        let tally = Self.tally([
            ("sandbox", .skipped, 0), ("prod", .failed, 3), ("prod", .changed, 0), ("sandbox", .wouldChange, 2),
            ("prod", .unchanged, 0), ("prod", .changed, 0), ("sandbox", .skipped, 0), ("sandbox", .skipped, 0),
        ])
        #expect(tally.total == 8)
        #expect(tally.throttled == 5)
        #expect(
            tally.summary(seconds: 4)
                == "  prod: 2 changed, 1 unchanged, 1 failed\n"
                + "  sandbox: 1 would-change, 3 skipped\n"
                + "orgbatch: 8 tasks in 4.0 s (2/s), 1 failed, 5 throttled responses")
    }

    @Test func emptyRun() {
        #expect(RunTally().summary(seconds: 0) == "orgbatch: 0 tasks in 0.0 s (0/s), 0 failed, 0 throttled responses")
    }

    @Test func zeroSecondsGivesRateZero() {
        let tally = Self.tally([("a", .cancelled, 0)])
        #expect(tally.summary(seconds: 0) == "  a: 1 cancelled\norgbatch: 1 tasks in 0.0 s (0/s), 0 failed, 0 throttled responses")
    }

    @Test(arguments: [(2.46, "2.5 s (3/s)"), (0.04, "0.0 s (175/s)"), (70, "70.0 s (0/s)")])
    func secondsAndRateAreRounded(seconds: Double, expected: String) {
        let tally = Self.tally(Array(repeating: ("o", TaskStatus.changed, 0), count: 7))
        #expect(tally.summary(seconds: seconds) == "  o: 7 changed\norgbatch: 7 tasks in \(expected), 0 failed, 0 throttled responses")
    }
}
