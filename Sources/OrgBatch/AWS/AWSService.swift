/// The three AWS services orgbatch calls, with what each needs on the wire.
public enum AWSService: String, Sendable, CaseIterable {
    case organizations
    case account
    case sts
    /// IAM Identity Center's portal (`GetRoleCredentials`), reached with an SSO token.
    case sso
    /// IAM Identity Center's OIDC service (`CreateToken`, to refresh an SSO token).
    case ssoOIDC = "sso-oidc"

    /// The services a job's clients call; `sso` and `sso-oidc` serve credentials only.
    public static let clientServices: [AWSService] = [.organizations, .account, .sts]

    /// The name in the SigV4 credential scope (moto routes on it too).
    public var signingName: String {
        switch self {
        case .sso: "awsssoportal"
        case .ssoOIDC: "sso-oauth"
        default: rawValue
        }
    }

    /// botocore's service id, from which `AWS_ENDPOINT_URL_<ID>` and the `[services]` key come.
    public var serviceID: String {
        switch self {
        case .organizations: "Organizations"
        case .account: "Account"
        case .sts: "STS"
        case .sso: "SSO"
        case .ssoOIDC: "SSO OIDC"
        }
    }

    /// `AWS_ENDPOINT_URL_ORGANIZATIONS`, `AWS_ENDPOINT_URL_ACCOUNT`, `AWS_ENDPOINT_URL_SSO_OIDC`…
    public var endpointEnvironmentVariable: String {
        "AWS_ENDPOINT_URL_" + serviceID.uppercased().replacingOccurrences(of: " ", with: "_")
    }

    /// The key inside a `[services NAME]` section: the service id, lower case, spaces as `_`.
    public var servicesSectionKey: String {
        serviceID.lowercased().replacingOccurrences(of: " ", with: "_")
    }
}
