/// The three AWS services orgbatch calls, with what each needs on the wire.
public enum AWSService: String, Sendable, CaseIterable {
    case organizations
    case account
    case sts

    /// The name in the SigV4 credential scope (moto routes on it too).
    public var signingName: String { rawValue }

    /// botocore's service id, from which `AWS_ENDPOINT_URL_<ID>` and the `[services]` key come.
    public var serviceID: String {
        switch self {
        case .organizations: "Organizations"
        case .account: "Account"
        case .sts: "STS"
        }
    }

    /// `AWS_ENDPOINT_URL_ORGANIZATIONS`, `AWS_ENDPOINT_URL_ACCOUNT`, `AWS_ENDPOINT_URL_STS`.
    public var endpointEnvironmentVariable: String {
        "AWS_ENDPOINT_URL_" + serviceID.uppercased().replacingOccurrences(of: " ", with: "_")
    }

    /// The key inside a `[services NAME]` section: the service id, lower case, spaces as `_`.
    public var servicesSectionKey: String {
        serviceID.lowercased().replacingOccurrences(of: " ", with: "_")
    }
}
