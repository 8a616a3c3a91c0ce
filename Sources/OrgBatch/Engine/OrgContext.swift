/// One organization, ready for its tasks: reached, checked and mapped.
public struct OrgContext: Sendable {
    public var org: JobOrg
    public var profile: ResolvedProfile
    public var organizationID: String
    public var managementAccountID: String
    /// The account the profile reaches (the management account, or a delegated administrator).
    public var callerAccountID: String
    public var directory: OrgDirectory
    /// The job's actions with this org's `${vars}` filled in.
    public var actions: [JobAction]
    /// Per step: the indexes of `directory.members` it applies to (empty for org-level steps).
    public var stepTargets: [[Int]]
    /// Attempts per request: `--max-attempts`, else the profile's `max_attempts`, else the default.
    public var maxAttempts: Int

    public var callerIsManagementAccount: Bool { callerAccountID == managementAccountID }
}
