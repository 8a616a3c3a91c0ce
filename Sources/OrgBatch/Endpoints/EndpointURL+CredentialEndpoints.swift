/// Where credentials themselves may be fetched from over plain http.
///
/// The rule for every other endpoint is https, or http to loopback. The container credentials
/// endpoint and the EC2 instance metadata service are the exception AWS defines: they answer
/// only on fixed link-local addresses of the host itself (169.254.0.0/16, fd00:ec2::/…), over
/// plain http, and are never routed off the machine. orgbatch allows exactly those addresses,
/// as the aws CLI does, and nowhere else.
extension EndpointURL {
    /// ECS task roles: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is relative to this host.
    public static let ecsCredentialsHost = "169.254.170.2"
    /// The container credentials hosts botocore accepts over http (ECS, EKS Pod Identity).
    public static let containerCredentialsHosts = [ecsCredentialsHost, "169.254.170.23", "fd00:ec2::23"]
    /// The EC2 instance metadata service, IPv4 and IPv6.
    public static let instanceMetadataHosts = ["169.254.169.254", "fd00:ec2::254"]

    /// Parses a credential endpoint: https anywhere, http only to loopback or to one of
    /// `linkLocalHosts`.
    /// - Parameter setting: the variable or setting it came from, for the message.
    init(validatingCredentialEndpoint text: String, linkLocalHosts: [String], setting: String) throws(ConfigError) {
        guard let parsed = Self.parse(text) else {
            throw ConfigError(.invalidEndpoint, "\(setting) = '\(text)' is not of the form http[s]://host[:port][/path]")
        }
        guard parsed.scheme == "https" || Self.isLoopbackHost(parsed.host) || linkLocalHosts.contains(parsed.host) else {
            throw ConfigError(
                .insecureEndpoint,
                "\(setting) = '\(text)' uses plain http to a host that is not allowed; use https, or http to a loopback "
                    + "address or to " + linkLocalHosts.joined(separator: ", "))
        }
        self = parsed
    }

    /// Addresses whose traffic never leaves the host (loopback and the link-local credential
    /// endpoints): never sent through a proxy from the environment.
    public static func isLocalHost(_ host: String) -> Bool {
        isLoopbackHost(host) || host.hasPrefix("169.254.") || host.hasPrefix("fd00:ec2::")
    }
}
