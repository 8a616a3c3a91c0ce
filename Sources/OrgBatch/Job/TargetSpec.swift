/// Which member accounts an account-level action applies to.
///
/// Selected: every account when `accounts` is `.all` (the default), else the listed accounts
/// and every account below the listed OUs (recursively). Then the excluded accounts and every
/// account below the excluded OUs are taken out (an excluded OU that an organization does not
/// have excludes nothing there; an included one it does not have is an error). The management account is in the set when
/// `managementAccount` is true; by default it is when every account is selected.
public struct TargetSpec: Sendable, Equatable {
    public enum Accounts: Sendable, Equatable {
        case all
        case list([String])
    }

    public var accounts: Accounts
    /// OU ids (`ou-…`, or a root `r-…`) or name paths from the root (`Prod/Web`).
    public var ous: [String]
    public var excludeAccounts: [String]
    public var excludeOUs: [String]
    /// nil: included when every account is selected.
    public var managementAccount: Bool?

    public init(
        accounts: Accounts = .all, ous: [String] = [], excludeAccounts: [String] = [], excludeOUs: [String] = [],
        managementAccount: Bool? = nil
    ) {
        self.accounts = accounts
        self.ous = ous
        self.excludeAccounts = excludeAccounts
        self.excludeOUs = excludeOUs
        self.managementAccount = managementAccount
    }

    /// Every account selected, before exclusions: `accounts: all` with no OUs.
    var selectsEveryAccount: Bool { accounts == .all && ous.isEmpty }

    /// The spec with `${var}` references replaced by `vars`' values.
    /// - Throws: the name of the first variable that `vars` lacks.
    public func resolved(with vars: [String: String]) throws(Template.MissingVariable) -> TargetSpec {
        var resolved = self
        if case .list(let ids) = accounts { resolved.accounts = .list(try Template.expandAll(ids, vars)) }
        resolved.ous = try Template.expandAll(ous, vars)
        resolved.excludeAccounts = try Template.expandAll(excludeAccounts, vars)
        resolved.excludeOUs = try Template.expandAll(excludeOUs, vars)
        return resolved
    }
}
