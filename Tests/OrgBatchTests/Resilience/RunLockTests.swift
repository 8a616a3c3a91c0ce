import Foundation
import Testing

@testable import OrgBatch

@Suite("The run lock and the resumed report")
struct RunLockTests {
    @Test func aSecondHolderIsTurnedAwayUntilTheFirstLetsGo() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("job.lock").path
        var first: RunLock? = try RunLock(path: path)
        #expect(first != nil)
        #expect {
            _ = try RunLock(path: path)
        } throws: { error in
            (error as? RunLock.Busy)?.description.contains("pid \(getpid())") == true
        }
        first = nil
        #expect(throws: Never.self) { _ = try RunLock(path: path) }
    }

    @Test func defaultLocksArePerJobFile() {
        let a = RunLock.defaultPath(forJob: "/jobs/a.yaml", environment: ["TMPDIR": "/var/tmp"])
        let b = RunLock.defaultPath(forJob: "/jobs/b.yaml", environment: ["TMPDIR": "/var/tmp"])
        #expect(a != b)
        #expect(a.hasPrefix("/var/tmp/orgbatch-") && a.hasSuffix(".lock"))
        #expect(a == RunLock.defaultPath(forJob: "/jobs/./a.yaml", environment: ["TMPDIR": "/var/tmp"]))
        #expect(RunLock.defaultPath(forJob: "/jobs/a.yaml", environment: [:]).hasPrefix("/tmp/"))
    }

    @Test func finishedTasksOfAReport() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("report.jsonl").path
        try """
            {"org":"prod","account":"111111111111","action":"alternateContact","params":{"type":"SECURITY"},"status":"changed"}
            {"org":"prod","account":"111111111112","action":"alternateContact","params":{"type":"SECURITY"},"status":"failed"}
            {"org":"prod","account":null,"action":"trustedAccess","params":{"servicePrincipal":"account.amazonaws.com"},"status":"unchanged"}
            not json
            {"org":"prod","account":"111111111113","action":"alternateContact","params":{"type":"SECURITY"},"status":"cancel
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let finished = try ReportHistory.finishedTasks(in: path)
        #expect(
            finished == [
                "prod|111111111111|alternateContact|type=SECURITY",
                "prod|-|trustedAccess|servicePrincipal=account.amazonaws.com",
            ])
    }

    @Test func appendingToACutOffReportStartsANewLine() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("report.jsonl").path
        try "{\"a\":1}\n{\"b\":".write(toFile: path, atomically: true, encoding: .utf8)
        let sink = try FileReportSink(path: path, append: true)
        #expect(sink.write(line: "{\"c\":3}"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"a\":1}\n{\"b\":\n{\"c\":3}\n")
    }
}
