/// One statement of desired state, as written in the job file. String values may hold
/// `${var}` references, resolved per organization by `resolved(with:)`.
public struct JobAction: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case trustedAccess(servicePrincipal: String, enabled: Bool)
        case delegatedAdmin(servicePrincipal: String, account: String, registered: Bool)
        /// `contact` nil means the contact must be absent.
        case alternateContact(type: AlternateContactType, contact: ContactValues?)
        case audit
    }

    public var kind: Kind
    /// Targets of this action when it overrides the job's.
    public var targets: TargetSpec?
    /// 1-based position in the job's actions.
    public var step: Int
    public var line: Int

    /// The name used in reports: `trustedAccess`, `delegatedAdmin`, `alternateContact`, `audit`.
    public var name: String {
        switch kind {
        case .trustedAccess: "trustedAccess"
        case .delegatedAdmin: "delegatedAdmin"
        case .alternateContact: "alternateContact"
        case .audit: "audit"
        }
    }

    /// Whether the action applies to accounts (one task each) or to the organization (one task).
    public var isAccountLevel: Bool {
        switch kind {
        case .alternateContact, .audit: true
        case .trustedAccess, .delegatedAdmin: false
        }
    }

    /// Whether applying it removes something: needs `--yes` when no one is at a terminal.
    public var isDestructive: Bool {
        switch kind {
        case .trustedAccess(_, let enabled): !enabled
        case .delegatedAdmin(_, _, let registered): !registered
        case .alternateContact(_, let contact): contact == nil
        case .audit: false
        }
    }

    /// The action with `${var}` references replaced by `vars`' values.
    /// - Throws: the name of the first variable that `vars` lacks.
    public func resolved(with vars: [String: String]) throws(Template.MissingVariable) -> JobAction {
        var copy = self
        switch kind {
        case .trustedAccess(let principal, let enabled):
            copy.kind = .trustedAccess(servicePrincipal: try Template.expand(principal, vars), enabled: enabled)
        case .delegatedAdmin(let principal, let account, let registered):
            copy.kind = .delegatedAdmin(
                servicePrincipal: try Template.expand(principal, vars), account: try Template.expand(account, vars),
                registered: registered)
        case .alternateContact(let type, let contact?):
            copy.kind = .alternateContact(
                type: type,
                contact: ContactValues(
                    name: try Template.expand(contact.name, vars), title: try Template.expand(contact.title, vars),
                    email: try Template.expand(contact.email, vars), phone: try Template.expand(contact.phone, vars)))
        case .alternateContact, .audit:
            break
        }
        if let targets { copy.targets = try targets.resolved(with: vars) }
        return copy
    }
}

/// The four values of an alternate contact, as the job states them.
public struct ContactValues: Sendable, Equatable, Codable {
    public var name: String
    public var title: String
    public var email: String
    public var phone: String

    public init(name: String, title: String, email: String, phone: String) {
        self.name = name
        self.title = title
        self.email = email
        self.phone = phone
    }

    public init(_ contact: AlternateContact) {
        self.init(
            name: contact.name ?? "", title: contact.title ?? "", email: contact.emailAddress ?? "",
            phone: contact.phoneNumber ?? "")
    }

    public func alternateContact(type: AlternateContactType) -> AlternateContact {
        AlternateContact(type: type, emailAddress: email, name: name, phoneNumber: phone, title: title)
    }
}
