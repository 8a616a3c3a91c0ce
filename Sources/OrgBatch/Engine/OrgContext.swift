/// One organization, ready for its tasks: reached and checked. (Its accounts, which grow
/// while the account list is read, are the scheduler's.)
///
/// A class: made once by the preflight and never changed, then handed with every one of the
/// org's tasks to a worker, so a copy is one reference, not a dozen.
public final class OrgContext: Sendable {
    public let org: JobOrg
    public let profile: ResolvedProfile
    public let organizationID: String
    public let managementAccountID: String
    /// The account the profile reaches (the management account, or a delegated administrator).
    public let callerAccountID: String
    /// The job's actions with this org's `${vars}` filled in.
    public let actions: [JobAction]
    /// Attempts per request: `--max-attempts`, else the profile's `max_attempts`, else the default.
    public let maxAttempts: Int
    /// Where a task's requests for a service go, and the run's retry budget for that endpoint:
    /// looked up once here, not under the run's budget lock by every task.
    let routes: [Route]
    /// Each contact step's body and report value, by the action's position in `actions`.
    let preparedContacts: [PreparedContact?]

    /// A class, not a struct: every task reads its route, and a copy of a struct would retain
    /// each of the endpoint's strings.
    public final class Route: Sendable {
        public let endpoint: ServiceEndpoint
        public let retryBudget: RetryBudget?
        /// The signing keys of this organization's requests to this endpoint: its workers ask
        /// for the same key request after request, which the cache answers without hashing the
        /// scope; the run's shared cache, asked by every worker for every organization, hashed
        /// it under one lock for every request.
        let signingKeys = SigningKeyCache()
        /// Everything a task's requester for this endpoint needs but its transport and retry
        /// policy (nil when the context was made without the run's settings).
        let taskSettings: RequestSettings?

        init(
            _ endpoint: ServiceEndpoint, _ budgets: RetryBudgets?, run: RequestSettings.RunWide?,
            credentials: any CredentialProvider, rateScope: String
        ) {
            self.endpoint = endpoint
            retryBudget = budgets?.budget(for: endpoint)
            taskSettings = run.map { [retryBudget, signingKeys] in
                RequestSettings(
                    $0, endpoint: endpoint, credentials: credentials, rateScope: rateScope, retryBudget: retryBudget,
                    signingKeys: signingKeys)
            }
        }
    }

    public init(
        org: JobOrg, profile: ResolvedProfile, organizationID: String, managementAccountID: String,
        callerAccountID: String, actions: [JobAction], maxAttempts: Int, retryBudgets: RetryBudgets? = nil,
        runRequests: RequestSettings.RunWide? = nil
    ) {
        self.org = org
        self.profile = profile
        self.organizationID = organizationID
        self.managementAccountID = managementAccountID
        self.callerAccountID = callerAccountID
        self.actions = actions
        self.maxAttempts = maxAttempts
        routes =
            retryBudgets.map { budgets in
                Self.taskServices.map {
                    Route(
                        profile.endpoint($0), budgets, run: runRequests, credentials: profile.credentials,
                        rateScope: callerAccountID)
                }
            } ?? []
        preparedContacts = actions.map { action in
            guard case .alternateContact(let type, let values?) = action.kind else { return nil }
            return PreparedContact(type: type, values: values)
        }
    }

    /// The services a task talks to.
    static let taskServices: [AWSService] = [.organizations, .account]

    /// The route for `service`, when one was resolved with the context.
    func route(_ service: AWSService) -> Route? {
        routes.first { $0.endpoint.service == service }
    }

    /// The prepared form of step `step`'s contact, when it is this one (a task's action is one
    /// of `actions`; any other is built afresh).
    func preparedContact(step: Int, type: AlternateContactType, values: ContactValues) -> PreparedContact? {
        guard let index = actions.firstIndex(where: { $0.step == step }), let prepared = preparedContacts[index], prepared.type == type, prepared.values == values else {
            return nil
        }
        return prepared
    }

    public var callerIsManagementAccount: Bool { callerAccountID == managementAccountID }
}
