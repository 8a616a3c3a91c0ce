/// Where one service is reached and how requests to it are signed.
public struct ServiceEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var service: AWSService
    public var url: EndpointURL
    public var signingRegion: String

    public init(service: AWSService, url: EndpointURL, signingRegion: String) {
        self.service = service
        self.url = url
        self.signingRegion = signingRegion
    }

    public var description: String { "\(url) (signed for \(signingRegion))" }
}
