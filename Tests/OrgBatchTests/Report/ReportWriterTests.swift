import Dispatch
import Foundation
import Testing

@testable import OrgBatch

@Suite("ReportWriter: one serial writer, the tally, and --redact")
struct ReportWriterTests {
    static func line(
        org: String, account: String? = "111111111111", status: TaskStatus, throttled: Int = 0,
        before: JSONValue = .null, after: JSONValue = .null, error: ReportedError? = nil
    ) -> ReportLine {
        ReportLine(
            runID: "run", time: Date(timeIntervalSince1970: 1_795_554_000), org: org, orgID: "o-1", profile: "p",
            account: account, action: "alternateContact", step: 1, params: [("type", "SECURITY")], status: status,
            before: before, after: after, throttled: throttled, error: error)
    }

    static let contact = JSONValue.object([
        ("name", .string("Sec")), ("title", .string("Security")), ("email", .string("sec@example.com")), ("phone", .string("1")),
    ])

    @Test func writesEachLineAndTalliesIt() {
        let sink = MemoryReportSink()
        let writer = ReportWriter(sink: sink)
        let lines = [
            Self.line(org: "prod", status: .changed, throttled: 2),
            Self.line(org: "prod", status: .unchanged),
            Self.line(org: "sandbox", status: .failed, throttled: 1),
            Self.line(org: "prod", status: .changed),
            Self.line(org: "sandbox", account: nil, status: .skipped),
        ]
        for line in lines { writer.write(line) }
        #expect(sink.lines == lines.map(\.json.text))
        let tally = writer.tally
        #expect(tally.total == 5)
        #expect(tally.throttled == 3)
        #expect(tally.byOrg == ["prod": [.changed: 2, .unchanged: 1], "sandbox": [.failed: 1, .skipped: 1]])
        #expect(tally.count(.changed) == 2)
        #expect(tally.count(.failed) == 1)
        #expect(tally.count(.cancelled) == 0)
        #expect(tally.expected == 0)
    }

    @Test func expectedGrows() {
        let writer = ReportWriter(sink: MemoryReportSink())
        writer.expect(3)
        writer.expect(4)
        #expect(writer.tally.expected == 7)
        #expect(writer.tally.total == 0)
    }

    @Test func redactsBeforeAndAfterOnly() throws {
        let sink = MemoryReportSink()
        let writer = ReportWriter(sink: sink, redact: true)
        let error = ReportedError(code: "ValidationException", message: "bad email sec@example.com")
        writer.write(Self.line(org: "prod", status: .failed, before: .null, after: Self.contact, error: error))
        writer.write(Self.line(org: "prod", status: .unchanged, before: Self.contact, after: Self.contact))
        #expect(sink.lines.count == 2)
        let redacted = #"{"name":"sha256:7daacc78d1fe796c","title":"Security","email":"sha256:690cb140a46f2260","phone":"sha256:6b86b273ff34fce1"}"#
        #expect(sink.lines[0].contains(#""before":null,"after":\#(redacted),"#))
        #expect(sink.lines[1].contains(#""before":\#(redacted),"after":\#(redacted),"#))
        #expect(!sink.lines[1].contains("sec@example.com"))
        // The parameters and the error are written as they are.
        #expect(sink.lines[0].contains(#""params":{"type":"SECURITY"}"#))
        #expect(sink.lines[0].contains(#""message":"bad email sec@example.com""#))
        #expect(writer.tally.count(.failed) == 1)
    }

    @Test func withoutRedactValuesAreWrittenAsTheyAre() {
        let sink = MemoryReportSink()
        let writer = ReportWriter(sink: sink)
        let line = Self.line(org: "prod", status: .changed, before: .null, after: Self.contact)
        writer.write(line)
        #expect(sink.lines == [line.json.text])
        #expect(sink.lines[0].contains(#""email":"sec@example.com""#))
    }

    @Test func linesFromManyThreadsStayWhole() {
        let sink = MemoryReportSink()
        let writer = ReportWriter(sink: sink)
        DispatchQueue.concurrentPerform(iterations: 400) { index in
            writer.write(Self.line(org: "org-\(index % 4)", account: String(100_000_000_000 + index), status: .changed, throttled: 1))
        }
        #expect(sink.lines.count == 400)
        #expect(Set(sink.lines).count == 400)
        #expect(sink.lines.allSatisfy { $0.hasPrefix(#"{"schema":"#) && $0.hasSuffix(#""error":null}"#) })
        #expect(writer.tally.total == 400)
        #expect(writer.tally.throttled == 400)
        #expect(writer.tally.byOrg.mapValues { $0[.changed] } == ["org-0": 100, "org-1": 100, "org-2": 100, "org-3": 100])
    }

    @Test func aTaskUnderWayIsReportedOnceWhenTheRunIsAbandoned() {
        let sink = MemoryReportSink()
        let writer = ReportWriter(sink: sink)
        let (first, second) = (writer.makeSlot(), writer.makeSlot())
        writer.begin(1, in: first) { Self.line(org: "prod", account: "100000000001", status: .cancelled) }
        #expect(writer.finish(1, in: first, Self.line(org: "prod", account: "100000000001", status: .changed)))
        writer.begin(3, in: second) { Self.line(org: "prod", account: "100000000003", status: .cancelled) }
        writer.begin(2, in: first) { Self.line(org: "prod", account: "100000000002", status: .cancelled) }
        writer.abandonInFlight()
        // A worker that comes back late adds nothing.
        writer.finish(2, in: first, Self.line(org: "prod", account: "100000000002", status: .changed))
        writer.finish(3, in: second, Self.line(org: "prod", account: "100000000003", status: .changed))
        let reported = sink.lines.map { ($0.contains("100000000001") ? 1 : $0.contains("100000000002") ? 2 : 3, $0.contains(#""status":"changed""#)) }
        // Task 1 as it finished; 2 and 3, under way, as cancelled, in task order.
        #expect(reported.map(\.0) == [1, 2, 3])
        #expect(reported.map(\.1) == [true, false, false])
        #expect(writer.tally.count(.cancelled) == 2)
    }

    @Test func everyTaskOnceWhenManyWorkersRaceAnAbandonedRun() {
        let sink = MemoryReportSink()
        let writer = ReportWriter(sink: sink)
        let workers = 8
        let perWorker = 300
        let slots = (0..<workers).map { _ in writer.makeSlot() }
        let group = DispatchGroup()
        for worker in 0..<workers {
            DispatchQueue.global().async(group: group) {
                for task in 0..<perWorker {
                    let id = worker * perWorker + task
                    let account = String(100_000_000_000 + id)
                    writer.begin(id, in: slots[worker]) { Self.line(org: "prod", account: account, status: .cancelled) }
                    writer.finish(id, in: slots[worker], Self.line(org: "prod", account: account, status: .changed))
                }
            }
        }
        // Abandoned while the workers are still going: each of their tasks is then reported
        // either as it finished or as cancelled, or was never begun.
        while writer.tally.total < workers * perWorker / 4 { usleep(100) }
        writer.abandonInFlight()
        let stopped = writer.tally.total
        group.wait()
        #expect(writer.tally.total == stopped)
        let accounts = sink.lines.map { $0.split(separator: "\"account\":\"")[1].prefix(12) }
        #expect(Set(accounts).count == sink.lines.count)
        // Per worker, the tasks reported are a prefix of its tasks: none skipped, none twice.
        for worker in 0..<workers {
            let ids = accounts.map { Int($0)! - 100_000_000_000 }.filter { $0 / perWorker == worker }.sorted()
            #expect(ids == Array(worker * perWorker..<worker * perWorker + ids.count))
        }
    }
}
