import Foundation
import Synchronization

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
    let stsEndpoint: ServiceEndpoint
    let transportFactory: any TransportFactory
    let clock: any WallClock
    let retryPolicy: any RetryPolicy
    let timeouts: HTTPTimeouts

    private struct State {
        var cached: AWSCredentials?
        /// Made on first use; only ever touched under the lock.
        var requester: AWSRequester?
    }

    private let state = Mutex(State())

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
        self.stsEndpoint = stsEndpoint
        self.transportFactory = transportFactory
        self.clock = clock
        self.retryPolicy = retryPolicy
        self.timeouts = timeouts
    }

    public func credentials() throws(AWSError) -> AWSCredentials {
        try state.withLock { (state: inout State) throws(AWSError) -> AWSCredentials in
            var cached = state.cached
            defer { state.cached = cached }
            return try RefreshWindow.current(&cached, now: clock.now()) { () throws(AWSError) in try fetch(&state) }
        }
    }

    public func invalidate(ifAccessKeyID accessKeyID: String?) {
        state.withLock { state in
            if accessKeyID == nil || state.cached?.accessKeyID == accessKeyID { state.cached = nil }
        }
    }

    public var description: String { "web identity role \(roleARN) (token \(tokenFile), \(origin))" }

    private func fetch(_ state: inout State) throws(AWSError) -> AWSCredentials {
        guard let data = FileManager.default.contents(atPath: tokenFile),
            case let token = String(decoding: data, as: UTF8.self).trimmingSpaces(), !token.isEmpty
        else {
            throw AWSError(
                origin: .credentials, service: .sts, operation: "AssumeRoleWithWebIdentity",
                code: "credentials.web-identity-token",
                message: "\(origin): the web identity token file \(tokenFile) cannot be read or is empty",
                classification: .terminal)
        }
        let requester =
            state.requester
            ?? AWSRequester(
                transport: transportFactory.makeTransport(), credentials: NoCredentials(), endpoint: stsEndpoint,
                retryPolicy: retryPolicy, clock: clock, timeouts: timeouts)
        state.requester = requester
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
