import Foundation

/// Credentials of the EC2 instance's role, from the instance metadata service (IMDS), as
/// botocore's `InstanceMetadataFetcher` gets them:
/// 1. `PUT /latest/api/token` with `x-aws-ec2-metadata-token-ttl-seconds: 21600` (IMDSv2).
///    A 403, 404 or 405, or no answer in time, means IMDSv1 (no token), unless
///    `ec2_metadata_v1_disabled`; a 400 is an error.
/// 2. `GET /latest/meta-data/iam/security-credentials/` names the role.
/// 3. `GET /latest/meta-data/iam/security-credentials/<role>` gives the credentials.
/// Each request has `metadata_service_timeout` seconds (default 1) and
/// `metadata_service_num_attempts` attempts (default 1): on a laptop the answer "no IMDS"
/// comes quickly. Cached and refreshed before expiry, one fetch at a time.
public final class InstanceMetadataCredentialProvider: CredentialProvider {
    public struct Settings: Sendable, Equatable {
        /// `http://169.254.169.254/`, `http://[fd00:ec2::254]/` or the configured endpoint.
        public var baseURL: String
        public var timeoutSeconds: Double
        public var attempts: Int
        public var v1Disabled: Bool

        public init(baseURL: String = "http://169.254.169.254/", timeoutSeconds: Double = 1, attempts: Int = 1, v1Disabled: Bool = false) {
            self.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
            self.timeoutSeconds = timeoutSeconds
            self.attempts = attempts
            self.v1Disabled = v1Disabled
        }
    }

    static let tokenTTLSeconds = "21600"
    static let credentialsPath = "latest/meta-data/iam/security-credentials/"

    public let settings: Settings
    private let cache: CredentialCache<any Transport>

    public init(settings: Settings, transportFactory: any TransportFactory, clock: any WallClock) {
        self.settings = settings
        cache = CredentialCache(clock: clock) { transportFactory.makeTransport() }
    }

    public func credentials() throws(AWSError) -> AWSCredentials {
        try cache.credentials { (transport) throws(AWSError) in try fetch(transport) }
    }

    public func invalidate(ifAccessKeyID accessKeyID: String?) {
        cache.invalidate(ifAccessKeyID: accessKeyID)
    }

    public var description: String { "EC2 instance metadata (\(settings.baseURL))" }

    private var timeouts: HTTPTimeouts {
        HTTPTimeouts(connect: settings.timeoutSeconds, total: 2 * settings.timeoutSeconds)
    }

    private func failure(_ message: String, status: Int? = nil) -> AWSError {
        AWSError(
            origin: .credentials, service: .sts, operation: "instance-metadata", httpStatus: status,
            code: "credentials.instance-metadata",
            message: "EC2 instance metadata at \(settings.baseURL): \(message) "
                + "(off EC2, set AWS_EC2_METADATA_DISABLED=true and configure credentials)",
            classification: .terminal)
    }

    /// Token, role, credentials. Runs under the cache's lock.
    private func fetch(_ transport: any Transport) throws(AWSError) -> AWSCredentials {
        let token = try sessionToken(transport)
        if token == nil, settings.v1Disabled {
            throw failure("no IMDSv2 token could be had, and IMDSv1 is disabled (ec2_metadata_v1_disabled)")
        }
        let role = try get(Self.credentialsPath, token: token, transport, what: "the role name") { body in
            let name = String(decoding: body, as: UTF8.self).split(whereSeparator: \.isNewline).first
                .map { String($0).trimmingSpaces() } ?? ""
            return name.isEmpty ? .unusable("the instance has no IAM role") : .usable(name)
        }
        return try get(Self.credentialsPath + role, token: token, transport, what: "the credentials of role \(role)") {
            switch MetadataCredentials.parse($0) {
            case .credentials(let credentials): .usable(credentials)
            case .unusable(let reason): .unusable(reason)
            }
        }
    }

    /// What a GET's answer came to.
    private enum Answer<Value> {
        case usable(Value)
        /// Worth another attempt (botocore retries empty answers and credentials that are not JSON).
        case unusable(String)
    }

    /// The IMDSv2 session token, or nil to go on without one (IMDSv1).
    private func sessionToken(_ transport: any Transport) throws(AWSError) -> String? {
        let request = HTTPRequest(
            method: "PUT", url: settings.baseURL + "latest/api/token",
            headers: [(name: "x-aws-ec2-metadata-token-ttl-seconds", value: Self.tokenTTLSeconds)], timeouts: timeouts)
        for _ in 1...max(1, settings.attempts) {
            let response: HTTPResponse
            do {
                response = try transport.send(request)
            } catch {
                if error.kind == .timeout { return nil }  // botocore: a read timeout means IMDSv1
                continue
            }
            switch response.status {
            case 200: return String(decoding: response.body, as: UTF8.self)
            case 403, 404, 405: return nil
            case 400: throw failure("the token request was refused as malformed (HTTP 400)", status: 400)
            default: continue
            }
        }
        return nil
    }

    /// A GET retried (up to `attempts`, in all) on a transport failure, a status other than
    /// 200, or an answer `read` finds unusable.
    private func get<Value>(
        _ path: String, token: String?, _ transport: any Transport, what: String, read: ([UInt8]) -> Answer<Value>
    ) throws(AWSError) -> Value {
        var headers: [(name: String, value: String)] = []
        if let token { headers.append((name: "x-aws-ec2-metadata-token", value: token)) }
        let request = HTTPRequest(method: "GET", url: settings.baseURL + path, headers: headers, timeouts: timeouts)
        var lastFailure = failure("no attempt made")
        for attempt in 1...max(1, settings.attempts) {
            do {
                let response = try transport.send(request)
                guard response.status == 200 else {
                    lastFailure = failure(
                        "reading \(what): HTTP \(response.status)\(MetadataCredentials.excerpt(response))",
                        status: response.status)
                    continue
                }
                switch read(response.body) {
                case .usable(let value): return value
                case .unusable(let reason): lastFailure = failure("reading \(what): \(reason)", status: 200)
                }
            } catch {
                lastFailure = failure("reading \(what): \(error) after \(attempt) attempt(s)")
            }
        }
        throw lastFailure
    }
}

extension InstanceMetadataCredentialProvider.Settings {
    /// The settings from the environment and the profile, or nil when
    /// `AWS_EC2_METADATA_DISABLED` is `true`.
    ///
    /// Endpoint: `AWS_EC2_METADATA_SERVICE_ENDPOINT` / `ec2_metadata_service_endpoint`, else
    /// the IPv6 address when `…_ENDPOINT_MODE` is `IPv6`, else 169.254.169.254.
    static func resolve(environment: [String: String], profile: SharedConfig.Settings?) throws(ConfigError) -> Self? {
        func setting(_ variable: String, _ key: String) -> String? {
            if let value = environment[variable], !value.isEmpty { return value }
            return profile?[key]?.value
        }
        if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" { return nil }
        var settings = Self()
        if let endpoint = setting("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint") {
            _ = try EndpointURL(
                validatingCredentialEndpoint: endpoint, linkLocalHosts: EndpointURL.instanceMetadataHosts,
                setting: "AWS_EC2_METADATA_SERVICE_ENDPOINT")
            settings.baseURL = endpoint.hasSuffix("/") ? endpoint : endpoint + "/"
        } else if setting("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode")?.lowercased() == "ipv6" {
            settings.baseURL = "http://[fd00:ec2::254]/"
        }
        if let text = setting("AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout") {
            guard let value = Double(text), value > 0 else {
                throw ConfigError(.invalidSetting, "metadata_service_timeout = \(text); it must be a number of seconds above 0")
            }
            settings.timeoutSeconds = value
        }
        if let text = setting("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts") {
            guard let value = Int(text), value >= 1 else {
                throw ConfigError(.invalidSetting, "metadata_service_num_attempts = \(text); it must be a whole number from 1")
            }
            settings.attempts = value
        }
        settings.v1Disabled = setting("AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled")?.lowercased() == "true"
        return settings
    }
}
