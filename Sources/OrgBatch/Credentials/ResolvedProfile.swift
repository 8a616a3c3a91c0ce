/// A profile ready for use: its credentials, region and endpoints.
public struct ResolvedProfile: Sendable {
    /// The profile's name; `nil` when credentials came from the environment alone.
    public var name: String?
    public var region: String?
    public var credentials: any CredentialProvider
    public var endpoints: [AWSService: ServiceEndpoint]
    /// The profile's `max_attempts`, when it sets one.
    public var maxAttempts: Int?

    public func endpoint(_ service: AWSService) -> ServiceEndpoint {
        endpoints[service]!
    }
}
