import Testing

@testable import OrgBatch

@Suite("TargetSpec: defaults and the management account rule")
struct TargetSpecTests {
    @Test func defaultsSelectEveryAccount() {
        let spec = TargetSpec()
        #expect(spec.accounts == .all)
        #expect(spec.ous == [])
        #expect(spec.excludeAccounts == [])
        #expect(spec.excludeOUs == [])
        #expect(spec.managementAccount == nil)
        #expect(spec.selectsEveryAccount)
    }

    /// Whether every account is selected before exclusions (the management account's default
    /// follows it; TargetResolverTests cover the management account itself).
    @Test(arguments: [
        (TargetSpec(), true),
        (TargetSpec(excludeAccounts: ["111111111111"], excludeOUs: ["Suspended"]), true),
        (TargetSpec(managementAccount: false), true),
        (TargetSpec(accounts: .list(["111111111111"])), false),
        (TargetSpec(ous: ["Prod"]), false),
        (TargetSpec(accounts: .all, ous: ["Prod"]), false),
        (TargetSpec(ous: ["Prod"], managementAccount: true), false),
        (TargetSpec(accounts: .list([]), managementAccount: true), false),
    ])
    func everyAccountRule(spec: TargetSpec, everyAccount: Bool) {
        #expect(spec.selectsEveryAccount == everyAccount)
    }
}
