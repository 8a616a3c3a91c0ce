/// Reaches one organization and checks it before any write (the preflight):
/// 1. the profile resolves and its credentials work (`GetCallerIdentity`);
/// 2. the organization is in all-features mode (`DescribeOrganization`);
/// 3. the caller is its management account, or the delegated administrator for
///    `account.amazonaws.com` (and then the job has no org-level writes, which need the
///    management account);
/// 4. the accounts (and, when targets name OUs, the OU tree) are read, and every step's
///    targets resolved, so an unknown OU fails here rather than halfway through. Without OUs,
///    only the first page of accounts is read here; the run reads the rest as tasks go out
///    (see `PreparedOrg`).
///
/// The reads of 1, 2 and 4 do not depend on each other: while the run has workers to spare
/// (fewer organizations than workers), 2 and 4 go out alongside 1, on threads and transports
/// of their own, so an organization is ready after one round trip, not three. Otherwise the
/// worker makes them in turn on its own transport: every worker has an organization to
/// prepare, so more threads would only add memory and connections. The results are judged in
/// the order above either way, so the failure reported is the same as if the reads had been
/// made one by one.
struct OrgPreparer {
    static let accountManagementPrincipal = "account.amazonaws.com"

    let job: Job
    let resolver: ProfileResolver
    let profileOverride: String?
    let transport: any Transport
    /// Transports for the reads made alongside the worker's own.
    let transportFactory: any TransportFactory
    /// `--max-attempts`, when given.
    let maxAttempts: Int?
    let random: any RandomSource
    let clock: any WallClock
    let timeouts: HTTPTimeouts
    let rateLimiter: RateLimiter?
    let retryBudgets: RetryBudgets?
    /// Threads for the reads made alongside, shared by the run's workers.
    let alongsidePermits: CallPermits
    /// What the tasks' requests share across the run (see `OrgContext.Route.taskSettings`).
    let runRequests: RequestSettings.RunWide?

    func prepare(_ org: JobOrg) throws(PreflightFailure) -> PreparedOrg {
        let profile: ResolvedProfile
        do {
            profile = try resolver.resolve(profile: profileOverride ?? org.profile)
        } catch {
            throw PreflightFailure(ReportedError(error))
        }
        let attempts = maxAttempts ?? profile.maxAttempts ?? RunOptions.defaultMaxAttempts
        let policy = StandardRetryPolicy(maxAttempts: attempts, random: random)
        // Copies of what a requester needs, so the reads made alongside can build one too.
        let (factory, clock, timeouts) = (transportFactory, clock, timeouts)
        let (rateLimiter, retryBudgets) = (rateLimiter, retryBudgets)
        /// Requests on `transport`, drawing from `scope`'s rate buckets once the caller's
        /// account is known.
        let requester: @Sendable (AWSService, _ scope: String?, any Transport) -> AWSRequester = {
            service, scope, transport in
            let endpoint = profile.endpoint(service)
            return AWSRequester(
                transport: transport, credentials: profile.credentials, endpoint: endpoint,
                retryPolicy: policy, clock: clock, timeouts: timeouts, rateLimiter: scope == nil ? nil : rateLimiter,
                rateScope: scope, retryBudget: retryBudgets?.budget(for: endpoint))
        }
        // Alongside GetCallerIdentity, when permits allow: DescribeOrganization and the account
        // list, each on a transport of its own (not rate-scoped: the caller's account is not
        // known yet). Without a permit, the worker makes the read itself when it gets there.
        let withOUs = TargetResolver.needsOUs([job.targets] + job.actions.compactMap(\.targets))
        let alongside: @Sendable () -> OrganizationsClient = {
            OrganizationsClient(requester: requester(.organizations, nil, factory.makeTransport()))
        }
        let describe = ConcurrentCall(permits: alongsidePermits) { () throws(AWSError) in
            try alongside().describeOrganization()
        }
        let directoryRead = ConcurrentCall(permits: alongsidePermits) { () throws(AWSError) in
            try Self.readDirectory(alongside(), withOUs: withOUs)
        }
        // The same reads made by the worker, on its own transport, when there was no permit
        // (not paced either: the preflight's reads are few and made once).
        lazy var unscoped = OrganizationsClient(requester: requester(.organizations, nil, transport))
        // Every path out waits for both, so no read outlives the preflight.
        defer {
            _ = try? describe?.value()
            _ = try? directoryRead?.value()
        }

        let caller: CallerIdentity
        let organization: Organization
        let organizations: OrganizationsClient
        do {
            caller = try STSClient(requester: requester(.sts, nil, transport)).getCallerIdentity()
            organizations = OrganizationsClient(requester: requester(.organizations, caller.account, transport))
            if let describe {
                organization = try describe.value()
            } else {
                organization = try unscoped.describeOrganization()
            }
        } catch {
            throw PreflightFailure(ReportedError(error))
        }
        let orgID = organization.id
        guard organization.hasAllFeatures else {
            throw .check(
                "not-all-features",
                "organization \(orgID) is in \(organization.featureSet ?? "unknown") mode; trusted access and the Account "
                    + "API need all features: enable them in the Organizations console (Settings, Enable all features)",
                organizationID: orgID)
        }
        guard let managementID = organization.masterAccountId else {
            throw .check("no-management-account", "DescribeOrganization named no management account", organizationID: orgID)
        }

        var actions: [JobAction] = []
        for action in job.actions {
            do {
                actions.append(try action.resolved(with: org.vars))
            } catch {
                throw .check("missing-var", "org '\(org.name)' has no var '\(error.name)'", organizationID: orgID)
            }
        }
        if caller.account != managementID {
            let orgLevelWrites = actions.filter { !$0.isAccountLevel }.map(\.name)
            guard orgLevelWrites.isEmpty else {
                throw .check(
                    "needs-management-account",
                    "profile '\(profile.name ?? org.profile)' reaches account \(caller.account), not the management account "
                        + "\(managementID) of \(orgID); \(Set(orgLevelWrites).sorted().joined(separator: " and ")) can only be "
                        + "applied from the management account",
                    organizationID: orgID)
            }
            let admins: [DelegatedAdministrator]
            do {
                admins = try organizations.listDelegatedAdministrators(servicePrincipal: Self.accountManagementPrincipal)
            } catch {
                throw PreflightFailure(ReportedError(error), organizationID: orgID)
            }
            guard admins.contains(where: { $0.id == caller.account }) else {
                throw .check(
                    "not-authorized",
                    "profile '\(profile.name ?? org.profile)' reaches account \(caller.account), which is neither the "
                        + "management account (\(managementID)) of \(orgID) nor the delegated administrator for "
                        + Self.accountManagementPrincipal,
                    organizationID: orgID)
            }
        }

        let directory: OrgDirectory
        var rest: PagePosition?
        do {
            if let directoryRead {
                (directory, rest) = try directoryRead.value()
            } else {
                (directory, rest) = try Self.readDirectory(unscoped, withOUs: withOUs)
            }
        } catch {
            throw PreflightFailure(ReportedError(error), organizationID: orgID)
        }

        let jobTargets: TargetSpec
        do {
            jobTargets = try job.targets.resolved(with: org.vars)
        } catch {
            throw .check("missing-var", "org '\(org.name)' has no var '\(error.name)'", organizationID: orgID)
        }
        var selectors: [TargetResolver.Selector?] = []
        for action in actions {
            guard action.isAccountLevel else {
                selectors.append(nil)
                continue
            }
            do {
                selectors.append(
                    try TargetResolver.Selector(action.targets ?? jobTargets, in: directory, managementAccountID: managementID))
            } catch {
                throw .check(
                    "unknown-ou", "step \(action.step) (\(action.name)) names OU '\(error.reference)', which is not in \(orgID)",
                    organizationID: orgID)
            }
        }
        let context = OrgContext(
            org: org, profile: profile, organizationID: orgID, managementAccountID: managementID,
            callerAccountID: caller.account, actions: actions, maxAttempts: attempts, retryBudgets: retryBudgets,
            runRequests: runRequests)
        // A job of org-level steps only has no use for the rest of the accounts.
        let needsAccounts = selectors.contains { $0 != nil }
        return PreparedOrg(
            context: context, members: directory.members, selectors: selectors, rest: needsAccounts ? rest : nil)
    }

    /// With `withOUs`, every account with its state and the OU tree (two calls per OU).
    /// Without, the first page of accounts and where the list goes on (nil after its last page).
    static func readDirectory(
        _ organizations: OrganizationsClient, withOUs: Bool
    ) throws(AWSError) -> (OrgDirectory, rest: PagePosition?) {
        guard withOUs else {
            var position = PagePosition()
            let page = try organizations.listAccountSummaries(page: &position)
            return (
                OrgDirectory(rootID: nil, members: members(page), ouByPath: [:]),
                position.isFinished ? nil : position
            )
        }
        let accounts = try organizations.listAccountSummaries()
        guard let root = try organizations.listRoots().first else {
            return (OrgDirectory(rootID: nil, members: [], ouByPath: [:]), nil)
        }
        var ouByPath: [String: String] = [:]
        var ancestors: [String: [String]] = [:]
        // Breadth-first from the root: (parent id, its path, the chain above it).
        var queue: [(id: String, path: String, chain: [String])] = [(root.id, "", [root.id])]
        while !queue.isEmpty {
            let (parent, path, chain) = queue.removeFirst()
            for account in try organizations.listAccountSummariesForParent(parentId: parent) {
                ancestors[account.id] = chain
            }
            for ou in try organizations.listOrganizationalUnitsForParent(parentId: parent) {
                let ouPath = path.isEmpty ? (ou.name ?? ou.id) : path + "/" + (ou.name ?? ou.id)
                ouByPath[ouPath] = ou.id
                queue.append((ou.id, ouPath, [ou.id] + chain))
            }
        }
        let members = accounts.map {
            OrgDirectory.Member(id: $0.id, state: $0.effectiveState, ancestors: ancestors[$0.id] ?? [root.id])
        }
        return (OrgDirectory(rootID: root.id, members: members, ouByPath: ouByPath), nil)
    }

    /// A page of accounts as the run keeps them (OUs not read).
    static func members(_ page: [AccountSummary]) -> [OrgDirectory.Member] {
        page.map { .init(id: $0.id, state: $0.effectiveState, ancestors: []) }
    }
}
