import Foundation

/// Credentials from the container credentials endpoint: an ECS task role
/// (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, relative to http://169.254.170.2) or EKS Pod
/// Identity and other agents (`AWS_CONTAINER_CREDENTIALS_FULL_URI`), with the authorization
/// token from `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read afresh for each fetch, as the
/// agent rotates it) or `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
///
/// As botocore's `ContainerMetadataFetcher`: `GET` with `Accept: application/json`, 2 seconds
/// per attempt, 3 attempts one second apart. Cached and refreshed before expiry, one fetch at
/// a time.
public final class ContainerCredentialProvider: CredentialProvider {
    public enum Authorization: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
        CustomReflectable
    {
        case token(String)
        case tokenFile(String)

        /// The file's path, never the token.
        public var description: String {
            switch self {
            case .token: "token <redacted>"
            case .tokenFile(let path): "token file \(path)"
            }
        }
        public var debugDescription: String { description }
        public var customMirror: Mirror { Mirror(self, children: ["authorization": description]) }
    }

    static let attempts = 3
    static let pauseSeconds = 1.0
    static let timeouts = HTTPTimeouts(connect: 2, total: 4)

    public let url: String
    let authorization: Authorization?
    let clock: any WallClock
    private let cache: CredentialCache<any Transport>

    public init(url: String, authorization: Authorization?, transportFactory: any TransportFactory, clock: any WallClock) {
        self.url = url
        self.authorization = authorization
        self.clock = clock
        cache = CredentialCache(clock: clock) { transportFactory.makeTransport() }
    }

    /// The provider the environment sets up, or nil when neither URI variable is set.
    /// - Throws: `ConfigError` for a URL that is not allowed (plain http off the host).
    public static func fromEnvironment(
        _ environment: [String: String], transportFactory: any TransportFactory, clock: any WallClock
    ) throws(ConfigError) -> ContainerCredentialProvider? {
        let url: String
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] {
            url = "http://\(EndpointURL.ecsCredentialsHost)" + (relative.hasPrefix("/") ? "" : "/") + relative
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] {
            _ = try EndpointURL(
                validatingCredentialEndpoint: full, linkLocalHosts: EndpointURL.containerCredentialsHosts,
                setting: "AWS_CONTAINER_CREDENTIALS_FULL_URI")
            url = full
        } else {
            return nil
        }
        let authorization: Authorization? =
            if let file = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] {
                .tokenFile(file)
            } else if let token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] {
                .token(token)
            } else {
                nil
            }
        return ContainerCredentialProvider(
            url: url, authorization: authorization, transportFactory: transportFactory, clock: clock)
    }

    public func credentials() throws(AWSError) -> AWSCredentials {
        try cache.credentials { (transport) throws(AWSError) in try fetch(transport) }
    }

    public func invalidate(ifAccessKeyID accessKeyID: String?) {
        cache.invalidate(ifAccessKeyID: accessKeyID)
    }

    /// The endpoint's origin only: an ECS task's credential path is a capability.
    public var description: String { "container credentials (\(origin))" }

    var origin: String { EndpointURL.parse(url).map { "\($0.scheme)://\($0.hostHeader)" } ?? "?" }

    private func failure(_ message: String, status: Int? = nil) -> AWSError {
        AWSError(
            origin: .credentials, service: .sts, operation: "container-credentials", httpStatus: status,
            code: "credentials.container", message: "container credentials from \(origin): \(message)",
            classification: .terminal)
    }

    /// The `Authorization` header's value, read now.
    private func authorizationValue() throws(AWSError) -> String? {
        let value: String
        switch authorization {
        case nil:
            return nil
        case .token(let token):
            value = token
        case .tokenFile(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw failure("the authorization token file \(path) (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) cannot be read")
            }
            value = String(decoding: data, as: UTF8.self)
        }
        guard !value.contains("\r"), !value.contains("\n") else {
            throw failure("the authorization token holds a line break, which is not a legal header value")
        }
        return value
    }

    /// One fetch: up to `attempts` tries, `pauseSeconds` apart. Runs under the cache's lock.
    private func fetch(_ transport: any Transport) throws(AWSError) -> AWSCredentials {
        var headers = [(name: "Accept", value: "application/json")]
        if let value = try authorizationValue() { headers.append((name: "Authorization", value: value)) }
        let request = HTTPRequest(method: "GET", url: url, headers: headers, timeouts: Self.timeouts)
        var lastFailure = failure("no attempt made")
        for attempt in 1...Self.attempts {
            if attempt > 1 { clock.sleep(seconds: Self.pauseSeconds) }
            let response: HTTPResponse
            do {
                response = try transport.send(request)
            } catch {
                lastFailure = failure("\(error) after \(attempt) attempt(s)")
                continue
            }
            guard response.status == 200 else {
                lastFailure = failure(
                    "HTTP \(response.status)\(MetadataCredentials.excerpt(response))", status: response.status)
                continue
            }
            switch MetadataCredentials.parse(response.body) {
            case .credentials(let credentials): return credentials
            case .unusable(let reason): lastFailure = failure(reason, status: 200)
            }
        }
        throw lastFailure
    }
}
