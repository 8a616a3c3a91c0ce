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
}
