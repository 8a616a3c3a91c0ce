import OrgBatch
import OrgBatchCurl

/// The three clients for one profile, over a real libcurl transport.
struct Clients {
    let organizations: OrganizationsClient
    let account: AccountClient
    let sts: STSClient
    let profile: ResolvedProfile

    init(profile name: String, seed: Seed) throws {
        try self.init(profile: name, environment: seed.environment)
    }

    init(profile name: String, environment: [String: String]) throws {
        let resolver = ProfileResolver(
            environment: environment, config: try SharedConfig.load(environment: environment),
            transportFactory: CurlTransportFactory())
        let resolved = try resolver.resolve(profile: name)
        let transport = CurlTransport()
        func requester(_ service: AWSService) -> AWSRequester {
            AWSRequester(transport: transport, credentials: resolved.credentials, endpoint: resolved.endpoint(service))
        }
        profile = resolved
        organizations = OrganizationsClient(requester: requester(.organizations))
        account = AccountClient(requester: requester(.account))
        sts = STSClient(requester: requester(.sts))
    }
}
