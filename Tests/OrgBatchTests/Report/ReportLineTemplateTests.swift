import Foundation
import Testing

@testable import OrgBatch

@Suite("ReportLineTemplate: a step's shared fields encoded once, the same text as field by field")
struct ReportLineTemplateTests {
    static func line(
        org: String = "prod", orgID: String? = "o-gywz12m66a", profile: String = "prod-admin", account: String? = "111111111111",
        action: String = "alternateContact", step: Int = 3, params: [(String, String)] = [("type", "SECURITY")]
    ) -> ReportLine {
        ReportLine(
            runID: "run-1", time: Date(timeIntervalSince1970: 1_795_554_000.123), org: org, orgID: orgID, profile: profile,
            account: account, action: action, step: step, params: params, status: .changed,
            after: .object([("name", .string("Sec Ops"))]), attempts: 1, durationMs: 12, requestID: "req")
    }

    /// Fields that need escaping, a missing org id and account, two parameters: the template's
    /// text is the field-by-field text.
    @Test(arguments: [
        line(),
        line(org: "q\"uote\\d", orgID: nil, profile: "ünïcode\tprofile", account: nil),
        line(action: "delegatedAdmin", step: 12, params: [("servicePrincipal", "account.amazonaws.com"), ("account", "2")]),
        line(params: []),
    ])
    func sameTextAsFieldByField(_ plain: ReportLine) {
        var templated = plain
        templated.template = ReportLineTemplate(for: plain)
        #expect(String(decoding: templated.bytes, as: UTF8.self) == plain.json.text)
        #expect(templated.template?.matches(templated) == true)
    }

    /// A line changed after its template was attached is written with its own fields.
    @Test func aChangedFieldIsNotTakenFromTheTemplate() {
        let template = ReportLineTemplate(for: Self.line())
        var changes: [(inout ReportLine) -> Void] = []
        changes.append { $0.org = "dev" }
        changes.append { $0.orgID = nil }
        changes.append { $0.profile = "other" }
        changes.append { $0.action = "audit" }
        changes.append { $0.step = 4 }
        changes.append { $0.params = [("type", "BILLING")] }
        changes.append { $0.params.append(("accounts", "unlisted")) }
        changes.append { $0.runID = "run-2" }
        for change in changes {
            var line = Self.line()
            line.template = template
            change(&line)
            var plain = line
            plain.template = nil
            #expect(!template.matches(line))
            #expect(line.text == plain.text)
        }
    }

    /// A template's `after` is written for a line whose `after` is that very value, and only
    /// then; the text is the same either way.
    @Test func theStepsAfterValue() {
        let desired = JSONValue.object([("name", .string("Sec \"Ops\"")), ("phone", .string("+1 206 555 0100"))])
        let plain = Self.line()
        let template = ReportLineTemplate(
            runID: plain.runID, org: plain.org, orgID: plain.orgID, profile: plain.profile, action: plain.action,
            step: plain.step, params: plain.params, after: desired)
        let builtApart = JSONValue.object([("name", .string("Sec \"Ops\"")), ("phone", .string("+1 206 555 0100"))])
        for after in [desired, builtApart, .object([("name", .string("other"))]), .null] {
            var line = plain
            line.after = after
            var templated = line
            templated.template = template
            #expect(templated.text == line.json.text)
        }
        #expect(desired.isIdentical(to: desired))
        #expect(!desired.isIdentical(to: builtApart))
    }

    @Test func identicalValues() {
        let list = JSONValue.array([.int(1), .string("a")])
        #expect(list.isIdentical(to: list))
        #expect(!list.isIdentical(to: .array([.int(1), .string("a")])))
        #expect(!list.isIdentical(to: .null))
        #expect(!JSONValue.null.isIdentical(to: list))
        #expect(JSONValue.string("x").isIdentical(to: .string("x")))
        #expect(JSONValue.null.isIdentical(to: .null))
        #expect(!JSONValue.int(1).isIdentical(to: .int(2)))
    }
}
