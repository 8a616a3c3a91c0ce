import Foundation

/// Temporary credentials from STS `AssumeRoleWithWebIdentity` (an EKS service account, a CI
/// OIDC token): the token file is read afresh for every call, as the platform rotates it,
/// and the call is unsigned. Cached and refreshed with the usual windows, one call at a time.
public final class WebIdentityCredentialProvider: CredentialProvider {
    public let roleARN: String
    public let tokenFile: String
    let sessionName: String
    let durationSeconds: Int?
    /// The profile, or "environment" when `AWS_WEB_IDENTITY_TOKEN_FILE` set it up.
    let origin: String

    private let cache: CredentialCache<AWSRequester>

    public init(
        roleARN: String, tokenFile: String, sessionName: String, durationSeconds: Int? = nil, origin: String,
        stsEndpoint: ServiceEndpoint, transportFactory: any TransportFactory, clock: any WallClock = SystemClock(),
        retryPolicy: any RetryPolicy = StandardRetryPolicy(), timeouts: HTTPTimeouts = HTTPTimeouts()
    ) {
        self.roleARN = roleARN
        self.tokenFile = tokenFile
        self.sessionName = sessionName
        self.durationSeconds = durationSeconds
        self.origin = origin
        cache = CredentialCache(
            credentials: NoCredentials(), endpoint: stsEndpoint, transportFactory: transportFactory, clock: clock,
            retryPolicy: retryPolicy, timeouts: timeouts)
    }

    public func credentials() throws(AWSError) -> AWSCredentials {
        try cache.credentials { (requester) throws(AWSError) in try fetch(requester) }
    }

    public func invalidate(ifAccessKeyID accessKeyID: String?) {
        cache.invalidate(ifAccessKeyID: accessKeyID)
    }

    public var description: String { "web identity role \(roleARN) (token \(tokenFile), \(origin))" }

    /// Reads the token and calls STS, unsigned. Runs under the cache's lock.
    private func fetch(_ requester: AWSRequester) throws(AWSError) -> AWSCredentials {
        guard let data = FileManager.default.contents(atPath: tokenFile),
            case let token = String(decoding: data, as: UTF8.self).trimmingSpaces(), !token.isEmpty
        else {
            throw AWSError(
                origin: .credentials, service: .sts, operation: "AssumeRoleWithWebIdentity",
                code: "credentials.web-identity-token",
                message: "\(origin): the web identity token file \(tokenFile) cannot be read or is empty",
                classification: .terminal)
        }
        do {
            return try STSClient(requester: requester).assumeRoleWithWebIdentity(
                roleARN: roleARN, sessionName: sessionName, token: token, durationSeconds: durationSeconds
            ).credentials
        } catch {
            var error = error
            error.message = "assuming role \(roleARN) with the web identity token (\(origin)): "
                + (error.message.isEmpty ? error.code : error.message)
            throw error
        }
    }
}

/// For requests that are never signed.
struct NoCredentials: CredentialProvider {
    func credentials() throws(AWSError) -> AWSCredentials {
        throw AWSError(
            origin: .credentials, service: .sts, operation: "-", code: "credentials.none",
            message: "this request is not signed", classification: .terminal)
    }

    var description: String { "no credentials" }
}
