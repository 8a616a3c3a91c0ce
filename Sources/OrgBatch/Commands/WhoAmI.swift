import Foundation

/// `orgbatch whoami`: which identity and organization a profile reaches, and how.
///
/// The quickest check that a profile works before a job uses it: it resolves the profile,
/// calls STS `GetCallerIdentity` and Organizations `DescribeOrganization`, and says where
/// the credentials and endpoints came from. Never shows a secret.
public enum WhoAmI {
    public struct Options: Sendable {
        public var profile: String?
        public var endpointURL: String?

        public init(profile: String? = nil, endpointURL: String? = nil) {
            self.profile = profile
            self.endpointURL = endpointURL
        }
    }

    public struct Result: Sendable {
        public var profile: String?
        public var region: String?
        public var credentialSource: String
        public var identity: CallerIdentity
        /// nil when the account is in no organization (or may not describe it).
        public var organization: Organization?
        public var organizationError: AWSError?
        public var endpoints: [AWSService: ServiceEndpoint]

        /// One JSON object, keys sorted, for scripts and `jq`.
        public var jsonLine: String {
            var object: [String: Any] = [
                "profile": profile.map { $0 as Any } ?? NSNull(),
                "region": region.map { $0 as Any } ?? NSNull(),
                "credentialSource": credentialSource,
                "account": identity.account,
                "arn": identity.arn,
                "endpoints": Dictionary(uniqueKeysWithValues: endpoints.map { ($0.key.rawValue, $0.value.url.description) }),
            ]
            if let organization {
                object["organization"] = [
                    "id": organization.id, "featureSet": organization.featureSet.map { $0 as Any } ?? NSNull(),
                    "managementAccountId": organization.masterAccountId.map { $0 as Any } ?? NSNull(),
                    "isManagementAccount": organization.masterAccountId == identity.account,
                ]
            } else if let organizationError {
                object["organizationError"] = ["code": organizationError.code, "message": organizationError.message]
            }
            let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self)
        }
    }

    public static func run(
        _ options: Options, environment: [String: String], transportFactory: any TransportFactory
    ) throws -> Result {
        let config = try SharedConfig.load(environment: environment)
        let resolver = ProfileResolver(
            environment: environment, config: config, transportFactory: transportFactory,
            explicitEndpoint: options.endpointURL)
        let profile = try resolver.resolve(profile: options.profile)
        let transport = transportFactory.makeTransport()
        func requester(_ service: AWSService) -> AWSRequester {
            AWSRequester(transport: transport, credentials: profile.credentials, endpoint: profile.endpoint(service))
        }
        let identity = try STSClient(requester: requester(.sts)).getCallerIdentity()
        var organization: Organization?
        var organizationError: AWSError?
        do {
            organization = try OrganizationsClient(requester: requester(.organizations)).describeOrganization()
        } catch {
            organizationError = error
        }
        return Result(
            profile: profile.name, region: profile.region, credentialSource: profile.credentials.description,
            identity: identity, organization: organization, organizationError: organizationError,
            endpoints: profile.endpoints)
    }
}
