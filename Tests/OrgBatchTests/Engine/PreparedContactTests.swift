import Testing

@testable import OrgBatch

@Suite("PreparedContact: a contact step's body and report value, made once per organization")
struct PreparedContactTests {
    static let values = ContactValues(name: "Sec", title: "CISO", email: "sec@example.com", phone: "+1 1")

    static func context(_ actions: [JobAction]) -> OrgContext {
        OrgContext(
            org: JobOrg(name: "prod", profile: "p", vars: [:], line: 1),
            profile: ResolvedProfile(
                name: "p", region: "us-east-1", credentials: StaticCredentialProvider(Fixtures.keys, source: "test"),
                endpoints: [:], maxAttempts: nil),
            organizationID: "o-1", managementAccountID: "111111111111", callerAccountID: "111111111111", actions: actions,
            maxAttempts: 3)
    }

    @Test func onlyAContactStepWithValuesIsPrepared() {
        let context = Self.context([
            JobAction(kind: .trustedAccess(servicePrincipal: "account.amazonaws.com", enabled: true), targets: nil, step: 1, line: 3),
            JobAction(kind: .alternateContact(type: .security, contact: Self.values), targets: nil, step: 2, line: 5),
            JobAction(kind: .alternateContact(type: .billing, contact: nil), targets: nil, step: 3, line: 9),
        ])
        #expect(context.preparedContacts.map { $0 != nil } == [false, true, false])
        let prepared = context.preparedContact(step: 2, type: .security, values: Self.values)
        #expect(prepared?.json == ActionRunner.contactJSON(Self.values))
        #expect(
            prepared?.body.bytes(accountId: "222222222222")
                == AWSJSON.encode(
                    members: AccountClient.putMembers(
                        accountId: "222222222222", Self.values.alternateContact(type: .security))))
    }

    /// A task whose action is not the step's as prepared (another type, other values, another
    /// step) builds its own.
    @Test func aDifferentContactIsNotTakenForThePreparedOne() {
        let context = Self.context([
            JobAction(kind: .alternateContact(type: .security, contact: Self.values), targets: nil, step: 1, line: 5)
        ])
        var other = Self.values
        other.phone = "+1 2"
        #expect(context.preparedContact(step: 1, type: .security, values: Self.values) != nil)
        #expect(context.preparedContact(step: 1, type: .billing, values: Self.values) == nil)
        #expect(context.preparedContact(step: 1, type: .security, values: other) == nil)
        #expect(context.preparedContact(step: 2, type: .security, values: Self.values) == nil)
    }
}
