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
