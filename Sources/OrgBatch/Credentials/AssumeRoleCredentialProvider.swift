import Foundation

/// Temporary credentials from STS `AssumeRole`, cached for the run and refreshed before they
/// expire.
///
/// Refresh windows are botocore's: with less than 15 minutes left a refresh is tried and a
/// failure keeps the old credentials; with less than 10 minutes left the refresh must
/// succeed. The lock makes one worker refresh while the others wait for its result, however
/// many ask at once.
public final class AssumeRoleCredentialProvider: CredentialProvider {
    /// Try to refresh within this many seconds of expiry; keep the old credentials on failure.
    public static let advisoryRefreshSeconds = RefreshWindow.advisorySeconds
    /// Must refresh within this many seconds of expiry.
    public static let mandatoryRefreshSeconds = RefreshWindow.mandatorySeconds

    public struct Role: Sendable, Equatable {
        public var arn: String
        public var sessionName: String
        public var externalID: String?
        public var durationSeconds: Int?
        /// The profile that names the role, for messages.
        public var profile: String
        /// `mfa_serial`: each AssumeRole (the first and every refresh) asks for a code.
        public var mfaSerial: String?

        public init(
            arn: String, sessionName: String, externalID: String? = nil, durationSeconds: Int? = nil, profile: String,
            mfaSerial: String? = nil
        ) {
            self.mfaSerial = mfaSerial
            self.arn = arn
            self.sessionName = sessionName
            self.externalID = externalID
            self.durationSeconds = durationSeconds
            self.profile = profile
        }
    }

    public let role: Role
    let source: any CredentialProvider
    let mfaPrompter: any MFAPrompter
    private let cache: CredentialCache<AWSRequester>

    public init(
        role: Role, source: any CredentialProvider, stsEndpoint: ServiceEndpoint,
        transportFactory: any TransportFactory, clock: any WallClock = SystemClock(),
        retryPolicy: any RetryPolicy = StandardRetryPolicy(), timeouts: HTTPTimeouts = HTTPTimeouts(),
        mfaPrompter: any MFAPrompter = TerminalMFAPrompter()
    ) {
        self.role = role
        self.source = source
        self.mfaPrompter = mfaPrompter
        // With an MFA device, refresh only when it must be done: each refresh asks for a code.
        cache = CredentialCache(
            credentials: source, endpoint: stsEndpoint, transportFactory: transportFactory, clock: clock,
            retryPolicy: retryPolicy, timeouts: timeouts, refreshesEarly: role.mfaSerial == nil)
    }

    public func credentials() throws(AWSError) -> AWSCredentials {
        try cache.credentials { (requester) throws(AWSError) in try fetch(requester) }
    }

    public func invalidate(ifAccessKeyID accessKeyID: String?) {
        cache.invalidate(ifAccessKeyID: accessKeyID)
    }

    public var description: String { "role \(role.arn) from \(source)" }

    /// Calls AssumeRole with the source's credentials. Runs under the cache's lock.
    private func fetch(_ requester: AWSRequester) throws(AWSError) -> AWSCredentials {
        let mfa = try role.mfaSerial.map { (serial) throws(AWSError) in
            (serial: serial, code: try mfaPrompter.code(serial: serial, profile: role.profile))
        }
        do {
            return try STSClient(requester: requester).assumeRole(
                roleARN: role.arn, sessionName: role.sessionName, externalID: role.externalID,
                durationSeconds: role.durationSeconds, mfa: mfa
            ).credentials
        } catch {
            var error = error
            error.message = "assuming role \(role.arn) for profile '\(role.profile)': "
                + (error.message.isEmpty ? error.code : error.message)
            throw error
        }
    }
}
