/// Read, compare, write: carries out one task of one action against one organization.
///
/// Every action reads the current state first and writes only when it differs; `plan` stops
/// after the comparison. A write that AWS answers with "already so" (registering an account
/// already registered, deleting a contact already gone) counts as `unchanged`.
struct ActionRunner {
    let context: OrgContext
    let mode: RunMode
    /// The task's requesters, made as the task first needs each.
    let requesters: TaskRequesters
    /// `--max-changes`: writes left in this run, nil for no limit.
    var changeBudget: ChangeBudget? = nil
    /// `--write-only`: contacts are written without being read first.
    var writeOnly = false

    private var organizations: OrganizationsClient { OrganizationsClient(requester: requesters.organizations) }
    private var account: AccountClient { AccountClient(requester: requesters.account) }

    /// - Parameters:
    ///   - member: the target account, nil for an org-level task.
    ///   - accountTrustedAccessPending: in a plan, trusted access for `account.amazonaws.com`
    ///     is off now but an earlier step would turn it on, so member contacts cannot be read yet.
    func run(_ action: JobAction, member: String?, accountTrustedAccessPending: Bool) -> TaskOutcome {
        do {
            switch action.kind {
            case .trustedAccess(let principal, let enabled):
                return try trustedAccess(principal, enabled: enabled)
            case .delegatedAdmin(let principal, let admin, let registered):
                return try delegatedAdmin(principal, account: admin, registered: registered)
            case .alternateContact(let type, let contact):
                return try alternateContact(
                    type, contact, member: member!, pending: accountTrustedAccessPending,
                    prepared: contact.flatMap { context.preparedContact(step: action.step, type: type, values: $0) })
            case .audit:
                if let member { return try auditAccount(member, pending: accountTrustedAccessPending) }
                return try auditOrganization()
            }
        } catch {
            return .failed(error)
        }
    }

    private func decide(current: JSONValue, desired: JSONValue, write: () throws(AWSError) -> Void) throws(AWSError)
        -> TaskOutcome
    {
        if current == desired { return TaskOutcome(status: .unchanged, before: current, after: current) }
        if mode == .plan { return TaskOutcome(status: .wouldChange, before: current, after: desired) }
        if let changeBudget, !changeBudget.take() {
            return TaskOutcome(
                status: .skipped, before: current, after: current,
                reason: "not written: --max-changes \(changeBudget.limit) reached in this run")
        }
        do {
            try write()
        } catch where error.classification == .noOp {
            // A retry finding its own earlier attempt applied (the answer was lost): a change.
            if error.attempts > 1 {
                return TaskOutcome(status: .changed, before: current, after: desired, reason: "applied by an earlier attempt")
            }
            return TaskOutcome(status: .unchanged, before: current, after: desired, reason: "AWS reports \(error.code)")
        }
        return TaskOutcome(status: .changed, before: current, after: desired)
    }

    /// The first request a task of `action` sends: what the scheduler checks the rate buckets for.
    static func firstOperation(_ action: JobAction, writeOnly: Bool = false) -> (AWSService, String) {
        switch action.kind {
        case .trustedAccess: (.organizations, "ListAWSServiceAccessForOrganization")
        case .delegatedAdmin: (.organizations, "ListDelegatedAdministrators")
        case .alternateContact(_, let contact) where writeOnly:
            (.account, contact == nil ? "DeleteAlternateContact" : "PutAlternateContact")
        case .alternateContact, .audit: (.account, "GetAlternateContact")
        }
    }

    private func trustedAccess(_ principal: String, enabled: Bool) throws(AWSError) -> TaskOutcome {
        let current = try organizations.listAWSServiceAccessForOrganization().contains { $0.servicePrincipal == principal }
        return try decide(current: .object([("enabled", .bool(current))]), desired: .object([("enabled", .bool(enabled))])) {
            () throws(AWSError) in
            if enabled {
                try organizations.enableAWSServiceAccess(servicePrincipal: principal)
            } else {
                try organizations.disableAWSServiceAccess(servicePrincipal: principal)
            }
        }
    }

    private func delegatedAdmin(_ principal: String, account admin: String, registered: Bool) throws(AWSError) -> TaskOutcome {
        let current = try organizations.listDelegatedAdministrators(servicePrincipal: principal).contains { $0.id == admin }
        return try decide(current: .object([("registered", .bool(current))]), desired: .object([("registered", .bool(registered))])) {
            () throws(AWSError) in
            if registered {
                try organizations.registerDelegatedAdministrator(accountId: admin, servicePrincipal: principal)
            } else {
                try organizations.deregisterDelegatedAdministrator(accountId: admin, servicePrincipal: principal)
            }
        }
    }

    /// The Account API's `AccountId`: omitted for the caller's own account (the management
    /// account must be called that way), the member's id otherwise.
    private func accountIDParameter(_ member: String) -> String? {
        member == context.callerAccountID ? nil : member
    }

    /// - Parameter prepared: `desired`'s body and report value, made once for the organization.
    private func alternateContact(
        _ type: AlternateContactType, _ desired: ContactValues?, member: String, pending: Bool, prepared: PreparedContact?
    ) throws(AWSError) -> TaskOutcome {
        let accountID = accountIDParameter(member)
        let desiredJSON = prepared?.json ?? Self.contactJSON(desired)
        if writeOnly && mode == .run {
            if let changeBudget, !changeBudget.take() {
                return TaskOutcome(status: .skipped, reason: "not written: --max-changes \(changeBudget.limit) reached in this run")
            }
            if let desired {
                try put(desired, type, accountId: accountID, prepared: prepared)
                return TaskOutcome(status: .written, after: desiredJSON)
            }
            let deleted = try account.deleteAlternateContact(accountId: accountID, type: type)
            return TaskOutcome(status: deleted ? .changed : .unchanged, after: .null)
        }
        let current: AlternateContact?
        do {
            current = try account.getAlternateContact(accountId: accountID, type: type)
        } catch where pending && accountID != nil && error.code == "AccessDeniedException" {
            return TaskOutcome(
                status: .wouldChange, after: desiredJSON,
                reason: "current value unknown until trusted access for account.amazonaws.com is enabled (an earlier step)")
        }
        return try decide(current: Self.contactJSON(current.map(ContactValues.init)), desired: desiredJSON) {
            () throws(AWSError) in
            if let desired {
                try put(desired, type, accountId: accountID, prepared: prepared)
            } else {
                try account.deleteAlternateContact(accountId: accountID, type: type)
            }
        }
    }

    private func put(
        _ desired: ContactValues, _ type: AlternateContactType, accountId: String?, prepared: PreparedContact?
    ) throws(AWSError) {
        if let prepared {
            try account.putAlternateContact(accountId: accountId, body: prepared.body)
        } else {
            try account.putAlternateContact(accountId: accountId, contact: desired.alternateContact(type: type))
        }
    }

    private func auditAccount(_ member: String, pending: Bool) throws(AWSError) -> TaskOutcome {
        let accountID = accountIDParameter(member)
        var contacts: [(String, JSONValue)] = []
        for type in AlternateContactType.allCases {
            let contact: AlternateContact?
            do {
                contact = try account.getAlternateContact(accountId: accountID, type: type)
            } catch where pending && accountID != nil && error.code == "AccessDeniedException" {
                return TaskOutcome(
                    status: .skipped,
                    reason: "contacts cannot be read until trusted access for account.amazonaws.com is enabled (an earlier step)")
            }
            contacts.append((type.rawValue, Self.contactJSON(contact.map(ContactValues.init))))
        }
        let state = JSONValue.object(contacts)
        return TaskOutcome(status: .unchanged, before: state, after: state)
    }

    private func auditOrganization() throws(AWSError) -> TaskOutcome {
        let principals = try organizations.listAWSServiceAccessForOrganization().map(\.servicePrincipal).sorted()
        var admins: [JSONValue] = []
        for admin in try organizations.listDelegatedAdministrators().sorted(by: { $0.id < $1.id }) {
            let services = try organizations.listDelegatedServicesForAccount(accountId: admin.id).map(\.servicePrincipal).sorted()
            admins.append(.object([("account", .string(admin.id)), ("services", .array(services.map { .string($0) }))]))
        }
        let state = JSONValue.object([
            ("trustedAccess", .array(principals.map { .string($0) })), ("delegatedAdministrators", .array(admins)),
        ])
        return TaskOutcome(status: .unchanged, before: state, after: state)
    }

    static func contactJSON(_ values: ContactValues?) -> JSONValue {
        guard let values else { return .null }
        return .object([
            ("name", .string(values.name)), ("title", .string(values.title)), ("email", .string(values.email)),
            ("phone", .string(values.phone)),
        ])
    }
}
