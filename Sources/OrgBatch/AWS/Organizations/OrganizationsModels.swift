import Foundation

// Shapes of AWS Organizations (API version 2016-11-28), as botocore's service model
// `botocore/data/organizations/2016-11-28/service-2.json` defines them. Enumerations are
// kept as strings so a value AWS adds later decodes instead of failing the run.

/// `DescribeOrganization`'s `Organization`.
public struct Organization: Codable, Sendable, Equatable {
    public var id: String
    public var arn: String?
    /// `ALL` or `CONSOLIDATED_BILLING`.
    public var featureSet: String?
    public var masterAccountArn: String?
    public var masterAccountId: String?
    public var masterAccountEmail: String?

    public var hasAllFeatures: Bool { featureSet == "ALL" }
}

public struct Root: Codable, Sendable, Equatable {
    public var id: String
    public var arn: String?
    public var name: String?
}

public struct OrganizationalUnit: Codable, Sendable, Equatable {
    public var id: String
    public var arn: String?
    public var name: String?
}

public struct Child: Codable, Sendable, Equatable {
    public var id: String
    /// `ACCOUNT` or `ORGANIZATIONAL_UNIT`.
    public var type: String
}

/// An account's two state fields: `state` is the current one; `status` is being retired by AWS
/// (September 2026) and is read only when `state` is missing.
public protocol AccountStateFields {
    var status: String? { get }
    var state: String? { get }
}

extension AccountStateFields {
    /// The account's state, from `State`, else from the older `Status`.
    public var effectiveState: String { state ?? status ?? "UNKNOWN" }
}

/// An account's id and state, as `ListAccounts` gives them (its other members left undecoded).
public struct AccountSummary: Decodable, Sendable, Equatable, AccountStateFields {
    public var id: String
    public var status: String?
    public var state: String?
}

/// A member account.
public struct Account: Codable, Sendable, Equatable, AccountStateFields {
    public var id: String
    public var arn: String?
    public var email: String?
    public var name: String?
    /// `ACTIVE`, `SUSPENDED` or `PENDING_CLOSURE` (retiring).
    public var status: String?
    /// `PENDING_ACTIVATION`, `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE` or `CLOSED`.
    public var state: String?
    public var joinedMethod: String?
    public var joinedTimestamp: Date?

    public var isActive: Bool { effectiveState == "ACTIVE" }
}

public struct EnabledServicePrincipal: Codable, Sendable, Equatable {
    public var servicePrincipal: String
    public var dateEnabled: Date?
}

public struct DelegatedAdministrator: Codable, Sendable, Equatable {
    public var id: String
    public var arn: String?
    public var email: String?
    public var name: String?
    public var status: String?
    public var state: String?
    public var joinedMethod: String?
    public var joinedTimestamp: Date?
    public var delegationEnabledDate: Date?
}

public struct DelegatedService: Codable, Sendable, Equatable {
    public var servicePrincipal: String
    public var delegationEnabledDate: Date?
}
