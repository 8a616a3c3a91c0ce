import Testing

@testable import OrgBatch

@Suite("LineFactory: report lines with what every line of a run shares")
struct LineFactoryTests {
    /// A task's line made from its step's template is the line made from the organization and
    /// the action, with the step's contact values as `after` written from the template.
    @Test(arguments: [
        JobAction(kind: .alternateContact(type: .security, contact: PreparedContactTests.values), targets: nil, step: 2, line: 5),
        JobAction(kind: .alternateContact(type: .billing, contact: nil), targets: nil, step: 3, line: 9),
        JobAction(kind: .delegatedAdmin(servicePrincipal: "account.amazonaws.com", account: "2", registered: true), targets: nil, step: 1, line: 3),
    ])
    func theFactorysTwoWaysMakeTheSameLine(action: JobAction) {
        let factory = LineFactory(runID: "run-1", clock: ManualClock())
        let context = PreparedContactTests.context([action])
        let template = factory.template(profile: "p", context: context, action: action)
        var fast = factory.line(template: template, account: "222222222222", status: .changed, reason: "r")
        var slow = factory.line(
            org: context.org, profile: "p", context: context, action: action, account: "222222222222", status: .changed,
            reason: "r")
        #expect(fast.template === template)
        #expect(slow.template == nil)
        if let prepared = context.preparedContacts[0] {
            fast.after = prepared.json
            slow.after = prepared.json
            #expect(template.after?.isIdentical(to: fast.after) == true)
        }
        #expect(fast.text == slow.text)
        #expect(fast.text == slow.json.text)
    }
}
