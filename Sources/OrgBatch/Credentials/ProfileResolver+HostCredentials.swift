/// Credentials the machine itself supplies: an ECS task's or EKS pod's container endpoint,
/// an EC2 instance's metadata service. The last links of the chain, and the sources of
/// `credential_source = EcsContainer / Ec2InstanceMetadata`.
extension ProfileResolver {
    /// The container endpoint if the environment sets one, else the instance metadata
    /// service unless it is disabled; nil when neither applies.
    func hostCredentials(profile settings: SharedConfig.Settings?) throws(ConfigError) -> (any CredentialProvider)? {
        if let container = try containerCredentials() { return container }
        return try instanceMetadata(profile: settings)
    }

    func containerCredentials() throws(ConfigError) -> (any CredentialProvider)? {
        try memo.value("container") { () throws(ConfigError) -> ContainerCredentialProvider? in
            try ContainerCredentialProvider.fromEnvironment(environment, transportFactory: transportFactory, clock: clock)
        }
    }

    func instanceMetadata(profile settings: SharedConfig.Settings?) throws(ConfigError) -> (any CredentialProvider)? {
        guard let imds = try InstanceMetadataCredentialProvider.Settings.resolve(environment: environment, profile: settings)
        else { return nil }
        // One provider per metadata endpoint and its settings: the instance has one role.
        return try memo.value("imds:\(imds)") { () throws(ConfigError) in
            InstanceMetadataCredentialProvider(settings: imds, transportFactory: transportFactory, clock: clock)
        }
    }
}
