import Testing

@testable import OrgBatch

@Suite("JobAction: names, kinds and ${var} resolution")
struct JobActionTests {
    static let contact = ContactValues(name: "Sec Ops", title: "Security", email: "sec@example.com", phone: "+1 555")

    struct KindCase: Sendable, CustomTestStringConvertible {
        var kind: JobAction.Kind
        var name: String
        var accountLevel: Bool
        var destructive: Bool
        var testDescription: String { "\(name) destructive=\(destructive)" }
    }

    @Test(arguments: [
        KindCase(kind: .trustedAccess(servicePrincipal: "account.amazonaws.com", enabled: true),
                 name: "trustedAccess", accountLevel: false, destructive: false),
        KindCase(kind: .trustedAccess(servicePrincipal: "account.amazonaws.com", enabled: false),
                 name: "trustedAccess", accountLevel: false, destructive: true),
        KindCase(kind: .delegatedAdmin(servicePrincipal: "account.amazonaws.com", account: "111111111111", registered: true),
                 name: "delegatedAdmin", accountLevel: false, destructive: false),
        KindCase(kind: .delegatedAdmin(servicePrincipal: "account.amazonaws.com", account: "111111111111", registered: false),
                 name: "delegatedAdmin", accountLevel: false, destructive: true),
        KindCase(kind: .alternateContact(type: .security, contact: contact),
                 name: "alternateContact", accountLevel: true, destructive: false),
        KindCase(kind: .alternateContact(type: .billing, contact: nil),
                 name: "alternateContact", accountLevel: true, destructive: true),
        KindCase(kind: .audit, name: "audit", accountLevel: true, destructive: false),
    ])
    func properties(of example: KindCase) {
        let action = JobAction(kind: example.kind, targets: nil, step: 1, line: 1)
        #expect(action.name == example.name)
        #expect(action.isAccountLevel == example.accountLevel)
        #expect(action.isDestructive == example.destructive)
    }

    static let vars = [
        "sp": "account.amazonaws.com", "admin": "210000000001", "who": "Prod", "mail": "sec-prod@example.com",
        "ou": "Prod/Web", "skip": "333333333333",
    ]

    @Test func resolvesTrustedAccess() throws {
        let action = JobAction(kind: .trustedAccess(servicePrincipal: "${sp}", enabled: false), targets: nil, step: 2, line: 9)
        #expect(
            try action.resolved(with: Self.vars)
                == JobAction(kind: .trustedAccess(servicePrincipal: "account.amazonaws.com", enabled: false), targets: nil, step: 2, line: 9))
    }

    @Test func resolvesDelegatedAdmin() throws {
        let action = JobAction(
            kind: .delegatedAdmin(servicePrincipal: "${sp}", account: "${admin}", registered: true), step: 3, line: 12)
        #expect(
            try action.resolved(with: Self.vars).kind
                == .delegatedAdmin(servicePrincipal: "account.amazonaws.com", account: "210000000001", registered: true))
    }

    @Test func resolvesEveryContactValueAndTarget() throws {
        let action = JobAction(
            kind: .alternateContact(
                type: .security,
                contact: ContactValues(name: "${who} Security", title: "Team ${who}", email: "${mail}", phone: "+1 ${admin}")),
            targets: TargetSpec(
                accounts: .list(["${admin}", "111111111111"]), ous: ["${ou}", "Sandbox"], excludeAccounts: ["${skip}"],
                excludeOUs: ["${ou}/Old"], managementAccount: false),
            step: 4, line: 20)
        let resolved = try action.resolved(with: Self.vars)
        #expect(
            resolved.kind
                == .alternateContact(
                    type: .security,
                    contact: ContactValues(name: "Prod Security", title: "Team Prod", email: "sec-prod@example.com", phone: "+1 210000000001")))
        #expect(
            resolved.targets
                == TargetSpec(
                    accounts: .list(["210000000001", "111111111111"]), ous: ["Prod/Web", "Sandbox"],
                    excludeAccounts: ["333333333333"], excludeOUs: ["Prod/Web/Old"], managementAccount: false))
        #expect(resolved.step == 4)
        #expect(resolved.line == 20)
    }

    @Test func leavesAbsentContactAuditAndAllAccountsAlone() throws {
        let absent = JobAction(kind: .alternateContact(type: .operations, contact: nil), targets: TargetSpec(), step: 1, line: 1)
        #expect(try absent.resolved(with: [:]) == absent)
        let audit = JobAction(kind: .audit, targets: TargetSpec(accounts: .all, managementAccount: true), step: 5, line: 30)
        #expect(try audit.resolved(with: [:]) == audit)
        let noTargets = JobAction(kind: .audit, targets: nil, step: 1, line: 1)
        #expect(try noTargets.resolved(with: Self.vars).targets == nil)
    }

    @Test func missingVariableIsTheFirstOneUsed() {
        let admin = JobAction(
            kind: .delegatedAdmin(servicePrincipal: "${first}", account: "${second}", registered: true), step: 1, line: 1)
        #expect(throws: Template.MissingVariable(name: "first")) { try admin.resolved(with: [:]) }

        let contact = JobAction(
            kind: .alternateContact(type: .billing, contact: ContactValues(name: "n", title: "t", email: "${mail}", phone: "${tel}")),
            step: 1, line: 1)
        #expect(throws: Template.MissingVariable(name: "tel")) { try contact.resolved(with: ["mail": "a@b.co"]) }

        let targeted = JobAction(kind: .audit, targets: TargetSpec(excludeOUs: ["${gone}"]), step: 1, line: 1)
        #expect(throws: Template.MissingVariable(name: "gone")) { try targeted.resolved(with: Self.vars) }
    }

    @Test func contactValuesFromAndToTheAPIModel() {
        let api = AlternateContact(type: .billing, emailAddress: "b@example.com", name: "Bill", phoneNumber: "1", title: "CFO")
        #expect(ContactValues(api) == ContactValues(name: "Bill", title: "CFO", email: "b@example.com", phone: "1"))
        #expect(Self.contact.alternateContact(type: .security) == AlternateContact(
            type: .security, emailAddress: "sec@example.com", name: "Sec Ops", phoneNumber: "+1 555", title: "Security"))
    }
}
