import Testing

@testable import OrgBatch

@Suite("Endpoint resolution: AWS's hosts and the aws CLI's overrides")
struct EndpointResolverTests {
    @Test("AWS's own endpoints", arguments: [
        (AWSService.organizations, "eu-west-1", "organizations.us-east-1.amazonaws.com", "us-east-1"),
        (.account, "ap-southeast-2", "account.us-east-1.amazonaws.com", "us-east-1"),
        (.sts, "eu-west-1", "sts.eu-west-1.amazonaws.com", "eu-west-1"),
        (.organizations, "cn-north-1", "organizations.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1"),
        (.account, "cn-north-1", "account.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1"),
        (.sts, "cn-north-1", "sts.cn-north-1.amazonaws.com.cn", "cn-north-1"),
        (.organizations, "us-gov-east-1", "organizations.us-gov-west-1.amazonaws.com", "us-gov-west-1"),
        (.account, "us-gov-east-1", "account.us-gov-west-1.amazonaws.com", "us-gov-west-1"),
        (.sts, "us-gov-east-1", "sts.us-gov-east-1.amazonaws.com", "us-gov-east-1"),
    ])
    func awsEndpoints(service: AWSService, region: String, host: String, signingRegion: String) throws {
        let resolver = EndpointResolver(environment: [:], config: SharedConfig(config: nil, credentials: nil))
        let endpoint = try resolver.endpoint(for: service, profile: nil, region: region)
        #expect(endpoint.url.scheme == "https")
        #expect(endpoint.url.host == host)
        #expect(endpoint.signingRegion == signingRegion)
    }

    @Test func partitions() {
        #expect(Partition.of(region: "us-east-1").id == "aws")
        #expect(Partition.of(region: "il-central-1").id == "aws")
        #expect(Partition.of(region: "cn-northwest-1").id == "aws-cn")
        #expect(Partition.of(region: "us-gov-west-1").id == "aws-us-gov")
        #expect(Partition.of(region: "us-iso-east-1").id == "aws-iso")
        #expect(Partition.of(region: "eusc-de-east-1").id == "aws-eusc")
        #expect(Partition.of(region: "mars-north-1").id == "aws")
    }

    static let config = """
        [profile local]
        region = eu-west-1
        endpoint_url = http://127.0.0.1:1000
        services = emu

        [profile plain]
        endpoint_url = http://127.0.0.1:1000

        [profile ignoring]
        endpoint_url = http://127.0.0.1:1000
        ignore_configured_endpoint_urls = true

        [profile dangling]
        services = missing

        [services emu]
        organizations =
          endpoint_url = http://127.0.0.1:2000
        """

    func url(
        _ service: AWSService, profile name: String, environment: [String: String] = [:], explicit: String? = nil
    ) throws -> String {
        let config = SharedConfig(config: try ConfigFile.parse(Self.config, path: "config"), credentials: nil)
        let resolver = EndpointResolver(environment: environment, config: config, explicitEndpoint: explicit)
        let settings = config.profiles[name]!
        return try resolver.endpoint(for: service, profile: (name, settings), region: settings["region"]?.value).url.description
    }

    @Test func precedence() throws {
        // [services] entry beats the profile's endpoint_url, for the service it names only.
        #expect(try url(.organizations, profile: "local") == "http://127.0.0.1:2000")
        #expect(try url(.account, profile: "local") == "http://127.0.0.1:1000")
        // AWS_ENDPOINT_URL beats the config file; the service variable beats it.
        let environment = ["AWS_ENDPOINT_URL": "http://127.0.0.1:3000", "AWS_ENDPOINT_URL_ACCOUNT": "http://127.0.0.1:4000"]
        #expect(try url(.organizations, profile: "local", environment: environment) == "http://127.0.0.1:3000")
        #expect(try url(.account, profile: "local", environment: environment) == "http://127.0.0.1:4000")
        #expect(try url(.sts, profile: "local", environment: ["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:5000"]) == "http://127.0.0.1:5000")
        // --endpoint-url beats everything.
        #expect(try url(.account, profile: "local", environment: environment, explicit: "http://127.0.0.1:6000") == "http://127.0.0.1:6000")
    }

    @Test func ignoringConfiguredEndpoints() throws {
        #expect(try url(.organizations, profile: "ignoring") == "https://organizations.us-east-1.amazonaws.com")
        #expect(
            try url(.organizations, profile: "plain", environment: ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL": "http://127.0.0.1:3000"])
                == "https://organizations.us-east-1.amazonaws.com")
        #expect(
            try url(.organizations, profile: "ignoring", explicit: "http://127.0.0.1:6000") == "http://127.0.0.1:6000")
    }

    @Test func configuredEndpointsAreSignedForTheProfilesRegion() throws {
        let config = SharedConfig(config: try ConfigFile.parse(Self.config, path: "config"), credentials: nil)
        let resolver = EndpointResolver(environment: [:], config: config)
        let endpoint = try resolver.endpoint(for: .organizations, profile: ("local", config.profiles["local"]!), region: "eu-west-1")
        #expect(endpoint.signingRegion == "eu-west-1")
    }

    @Test func missingServicesSectionIsAnError() throws {
        #expect {
            _ = try url(.organizations, profile: "dangling")
        } throws: { error in
            (error as? ConfigError)?.message.contains("no [services missing] section") == true
        }
    }

    @Test func insecureOverrideIsRefused() throws {
        #expect {
            _ = try url(.organizations, profile: "local", environment: ["AWS_ENDPOINT_URL": "http://10.1.2.3:80"])
        } throws: { ($0 as? ConfigError)?.code == .insecureEndpoint }
    }
}
