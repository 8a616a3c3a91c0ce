/// Finds each service's endpoint the way the aws CLI does.
///
/// Precedence, highest first (botocore `ConfiguredEndpointProvider`):
/// 1. an explicit endpoint (`--endpoint-url`), used even when configured endpoints are ignored;
/// 2. `AWS_ENDPOINT_URL_ORGANIZATIONS` / `_ACCOUNT` / `_STS` (and `_SSO`, `_SSO_OIDC`);
/// 3. `AWS_ENDPOINT_URL`;
/// 4. the profile's `services = NAME` and its `[services NAME]` entry for the service;
/// 5. the profile's `endpoint_url`;
/// 6. AWS's own endpoint for the region's partition.
/// Steps 2 to 5 are skipped when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's
/// `ignore_configured_endpoint_urls`) is `true`.
///
/// AWS's own endpoints: Organizations and Account are global, one host per partition
/// (`organizations.us-east-1.amazonaws.com`, signed `us-east-1`; aws-cn: `cn-northwest-1`;
/// aws-us-gov: `us-gov-west-1`); STS is regional (`sts.<region>.<dnsSuffix>`), and so are
/// IAM Identity Center's `portal.sso.<region>` and `oidc.<region>`. A configured
/// endpoint is signed for the profile's region, as botocore does.
public struct EndpointResolver: Sendable {
    public var environment: [String: String]
    public var config: SharedConfig
    /// `--endpoint-url`, for all three services.
    public var explicitEndpoint: String?

    public init(environment: [String: String], config: SharedConfig, explicitEndpoint: String? = nil) {
        self.environment = environment
        self.config = config
        self.explicitEndpoint = explicitEndpoint
    }

    /// - Parameters:
    ///   - profile: the profile's name and settings, nil when none is in use.
    ///   - region: the resolved region, nil when none is configured (then `us-east-1`).
    public func endpoint(
        for service: AWSService, profile: (name: String, settings: SharedConfig.Settings)?, region: String?
    ) throws(ConfigError) -> ServiceEndpoint {
        let region = region ?? "us-east-1"
        if let configured = try configuredURL(for: service, profile: profile) {
            return ServiceEndpoint(service: service, url: try EndpointURL(validating: configured), signingRegion: region)
        }
        let partition = Partition.of(region: region)
        let hostRegion: String
        switch service {
        case .organizations, .account:
            // The rule sets pin these partitions to their global region; the others use the region.
            hostRegion = ["aws-eusc", "aws-iso-e"].contains(partition.id) ? region : partition.globalRegion
        case .sts, .sso, .ssoOIDC:
            hostRegion = region
        }
        let host: String
        switch service {
        case .sso: host = "portal.sso.\(hostRegion).\(partition.dnsSuffix)"
        case .ssoOIDC: host = "oidc.\(hostRegion).\(partition.dnsSuffix)"
        default: host = "\(service.signingName).\(hostRegion).\(partition.dnsSuffix)"
        }
        return ServiceEndpoint(service: service, url: EndpointURL(scheme: "https", host: host), signingRegion: hostRegion)
    }

    /// The configured endpoint URL, following the precedence above; nil for AWS's own.
    func configuredURL(
        for service: AWSService, profile: (name: String, settings: SharedConfig.Settings)?
    ) throws(ConfigError) -> String? {
        // `--endpoint-url` is for the job's clients only: the SSO token, client secret and
        // refresh token never go to it (the aws CLI does not apply it to credential clients).
        if let explicitEndpoint, !explicitEndpoint.isEmpty, AWSService.clientServices.contains(service) {
            return explicitEndpoint
        }
        let ignore = environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]
            ?? profile?.settings["ignore_configured_endpoint_urls"]?.value
        if ignore?.lowercased() == "true" { return nil }
        if let value = environment[service.endpointEnvironmentVariable], !value.isEmpty { return value }
        if let value = environment["AWS_ENDPOINT_URL"], !value.isEmpty { return value }
        guard let profile else { return nil }
        if let servicesName = profile.settings["services"]?.value {
            guard let section = config.services[servicesName] else {
                throw ConfigError(
                    .invalidSetting,
                    "profile '\(profile.name)' uses services = \(servicesName), but there is no [services \(servicesName)] section",
                    profile: profile.name, files: config.filesRead)
            }
            if let value = section[service.servicesSectionKey]?.nested["endpoint_url"], !value.isEmpty {
                return value
            }
        }
        if let value = profile.settings["endpoint_url"]?.value, !value.isEmpty { return value }
        return nil
    }
}
