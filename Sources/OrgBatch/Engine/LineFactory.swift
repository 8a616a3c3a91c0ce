/// Builds report lines with what every line of a run shares.
struct LineFactory: Sendable {
    let runID: String
    let clock: any WallClock

    func line(
        org: JobOrg, profile: String, context: OrgContext?, action: JobAction, account: String?, status: TaskStatus,
        reason: String? = nil, error: ReportedError? = nil, organizationID: String? = nil
    ) -> ReportLine {
        ReportLine(
            runID: runID, time: clock.now(), org: org.name, orgID: context?.organizationID ?? organizationID,
            profile: profile, account: account, action: action.name, step: action.step, params: Self.params(action),
            status: status, reason: reason, error: error)
    }

    /// A line of the step `template` was made for, its shared fields taken from the template.
    func line(
        template: ReportLineTemplate, account: String?, status: TaskStatus, reason: String? = nil
    ) -> ReportLine {
        ReportLine(template: template, time: clock.now(), account: account, status: status, reason: reason)
    }

    /// What every line of `action`'s tasks in `context`'s organization shares, encoded once:
    /// with, for a contact step, the desired values its lines report as `after`.
    func template(profile: String, context: OrgContext, action: JobAction) -> ReportLineTemplate {
        var after: JSONValue?
        if case .alternateContact(let type, let values?) = action.kind {
            after = context.preparedContact(step: action.step, type: type, values: values)?.json
        }
        return ReportLineTemplate(
            runID: runID, org: context.org.name, orgID: context.organizationID, profile: profile, action: action.name,
            step: action.step, params: Self.params(action), after: after)
    }

    /// The one line of an account-level step for the accounts its organization's list never
    /// gave (the list failed or was interrupted part way): `account` null, and
    /// `params.accounts` `unlisted`, so its identity differs from the org-level line of an
    /// `audit` step.
    func unlistedLine(
        org: JobOrg, profile: String, context: OrgContext, action: JobAction, status: TaskStatus, reason: String,
        error: ReportedError? = nil
    ) -> ReportLine {
        var line = line(
            org: org, profile: profile, context: context, action: action, account: nil, status: status, reason: reason,
            error: error)
        line.params.append(("accounts", "unlisted"))
        return line
    }

    /// What identifies a task across runs (for `--resume`): org, account, action and
    /// parameters, as the report writes them.
    static func identity(org: String, account: String?, action: String, params: [(String, String)]) -> String {
        let parameters = params.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
        return "\(org)|\(account ?? "-")|\(action)|\(parameters)"
    }

    static func identity(org: JobOrg, account: String?, action: JobAction) -> String {
        identity(org: org.name, account: account, action: action.name, params: params(action))
    }

    /// The action's identifying, non-secret parameters.
    static func params(_ action: JobAction) -> [(String, String)] {
        switch action.kind {
        case .trustedAccess(let principal, _): [("servicePrincipal", principal)]
        case .delegatedAdmin(let principal, let account, _): [("servicePrincipal", principal), ("account", account)]
        case .alternateContact(let type, _): [("type", type.rawValue)]
        case .audit: []
        }
    }
}
