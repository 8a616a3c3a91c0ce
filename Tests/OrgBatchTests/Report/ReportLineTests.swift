import Foundation
import Testing

@testable import OrgBatch

@Suite("ReportLine: one JSON line per task, schema orgbatch.report/1")
struct ReportLineTests {
    /// 2026-11-24T21:00:00Z
    static let t0 = 1_795_554_000.0

    @Test func goldenChangedLine() {
        let line = ReportLine(
            runID: "run-20261124", time: Date(timeIntervalSince1970: Self.t0 + 0.123), org: "prod", orgID: "o-gywz12m66a",
            profile: "prod-admin", account: "111111111111", action: "alternateContact", step: 3,
            params: [("type", "SECURITY")], status: .changed, before: .null,
            after: .object([
                ("name", .string("Sec Ops")), ("title", .string("Security")), ("email", .string("sec@example.com")),
                ("phone", .string("+1 206 555 0100")),
            ]),
            attempts: 2, throttled: 1, durationMs: 87, requestID: "5f0e-req")
        #expect(line.text == line.json.text)
        #expect(
            line.json.text
                == #"{"schema":"orgbatch.report/1","runId":"run-20261124","time":"2026-11-24T21:00:00.123Z","org":"prod","#
                + #""orgId":"o-gywz12m66a","profile":"prod-admin","account":"111111111111","action":"alternateContact","step":3,"#
                + #""params":{"type":"SECURITY"},"status":"changed","reason":null,"before":null,"#
                + #""after":{"name":"Sec Ops","title":"Security","email":"sec@example.com","phone":"+1 206 555 0100"},"#
                + #""attempts":2,"throttled":1,"durationMs":87,"requestId":"5f0e-req","error":null}"#)
    }

    @Test func goldenFailedLineWithDefaultsAndAnError() {
        let line = ReportLine(
            runID: "r", time: Date(timeIntervalSince1970: Self.t0), org: "sandbox", orgID: nil, profile: "sb",
            account: nil, action: "trustedAccess", step: 1,
            params: [("servicePrincipal", "account.amazonaws.com"), ("account", "210000000001")], status: .failed,
            reason: "access \"denied\"",
            error: ReportedError(
                code: "AccessDeniedException", message: "You don't have permissions", httpStatus: 403,
                classification: "terminal", service: "organizations", operation: "EnableAWSServiceAccess",
                requestID: "req-403"))
        #expect(line.text == line.json.text)
        #expect(
            line.json.text
                == #"{"schema":"orgbatch.report/1","runId":"r","time":"2026-11-24T21:00:00.000Z","org":"sandbox","orgId":null,"#
                + #""profile":"sb","account":null,"action":"trustedAccess","step":1,"#
                + #""params":{"servicePrincipal":"account.amazonaws.com","account":"210000000001"},"status":"failed","#
                + #""reason":"access \"denied\"","before":null,"after":null,"attempts":0,"throttled":0,"durationMs":0,"#
                + #""requestId":null,"error":{"code":"AccessDeniedException","message":"You don't have permissions","#
                + #""httpStatus":403,"classification":"terminal","service":"organizations","operation":"EnableAWSServiceAccess","#
                + #""requestId":"req-403"}}"#)
    }

    @Test func reportedErrorDefaultsAreNull() {
        #expect(
            ReportedError(code: "transport.timeout", message: "timed out").json.text
                == #"{"code":"transport.timeout","message":"timed out","httpStatus":null,"classification":"terminal","#
                + #""service":null,"operation":null,"requestId":null}"#)
    }

    static let keys = [
        "schema", "runId", "time", "org", "orgId", "profile", "account", "action", "step", "params", "status", "reason",
        "before", "after", "attempts", "throttled", "durationMs", "requestId", "error",
    ]

    @Test(arguments: TaskStatus.allCases)
    func everyKeyAlwaysPresentInOrder(status: TaskStatus) throws {
        let line = ReportLine(
            runID: "r", time: Date(timeIntervalSince1970: 0), org: "o", orgID: nil, profile: "p", account: nil,
            action: "audit", step: 1, params: [], status: status)
        guard case .object(let members) = line.json else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.0) == Self.keys)
        let parsed = try #require(
            try JSONSerialization.jsonObject(with: Data(line.json.text.utf8)) as? [String: Any])
        #expect(Set(parsed.keys) == Set(Self.keys))
        #expect(parsed["status"] as? String == status.rawValue)
        #expect(parsed["params"] as? [String: String] == [:])
        for key in ["orgId", "account", "reason", "before", "after", "requestId", "error"] {
            #expect(parsed[key] is NSNull, "\(key)")
        }
    }

    static let timestamps: [(Double, String)] = [
        (t0, "2026-11-24T21:00:00.000Z"),
        (t0 + 0.123, "2026-11-24T21:00:00.123Z"),
        (t0 + 0.001, "2026-11-24T21:00:00.001Z"),
        (t0 + 0.0019, "2026-11-24T21:00:00.001Z"),  // milliseconds are truncated,
        (t0 + 59.9999, "2026-11-24T21:00:59.999Z"),  // never rounded up into the next second
        (t0 + 0.05, "2026-11-24T21:00:00.050Z"),
        (t0 + 3 * 3600 + 0.5, "2026-11-25T00:00:00.500Z"),
        (0, "1970-01-01T00:00:00.000Z"),
        (951_782_400.25, "2000-02-29T00:00:00.250Z"),
    ]

    @Test(arguments: timestamps)
    func timestamp(seconds: Double, expected: String) {
        #expect(ReportLine.timestamp(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test(arguments: [
        (TaskStatus.changed, "changed"), (.unchanged, "unchanged"), (.wouldChange, "would-change"), (.failed, "failed"),
        (.skipped, "skipped"), (.cancelled, "cancelled"),
    ])
    func statusNames(status: TaskStatus, name: String) {
        #expect(status.rawValue == name)
    }
}
