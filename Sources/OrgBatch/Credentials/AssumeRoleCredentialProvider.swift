import Foundation
import Synchronization

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

        public init(arn: String, sessionName: String, externalID: String? = nil, durationSeconds: Int? = nil, profile: String) {
            self.arn = arn
            self.sessionName = sessionName
            self.externalID = externalID
            self.durationSeconds = durationSeconds
            self.profile = profile
        }
    }

    private struct State {
        var cached: AWSCredentials?
        /// Made on first use; only ever touched under the lock.
        var requester: AWSRequester?
    }

    public let role: Role
    let source: any CredentialProvider
    let stsEndpoint: ServiceEndpoint
    let transportFactory: any TransportFactory
    let clock: any WallClock
    let retryPolicy: any RetryPolicy
    let timeouts: HTTPTimeouts
    private let state = Mutex(State())

    public init(
        role: Role, source: any CredentialProvider, stsEndpoint: ServiceEndpoint,
        transportFactory: any TransportFactory, clock: any WallClock = SystemClock(),
        retryPolicy: any RetryPolicy = StandardRetryPolicy(), timeouts: HTTPTimeouts = HTTPTimeouts()
    ) {
        self.timeouts = timeouts
        self.role = role
        self.source = source
        self.stsEndpoint = stsEndpoint
        self.transportFactory = transportFactory
        self.clock = clock
        self.retryPolicy = retryPolicy
    }

    public func credentials() throws(AWSError) -> AWSCredentials {
        try state.withLock { (state: inout State) throws(AWSError) -> AWSCredentials in
            var cached = state.cached
            defer { state.cached = cached }
            return try RefreshWindow.current(&cached, now: clock.now()) { () throws(AWSError) in try fetch(&state) }
        }
    }

    /// Forgets the cached credentials, unless another worker already replaced the ones the
    /// caller saw expire (so a crowd of workers hitting the same expiry refreshes once).
    public func invalidate(ifAccessKeyID accessKeyID: String?) {
        state.withLock { state in
            if accessKeyID == nil || state.cached?.accessKeyID == accessKeyID { state.cached = nil }
        }
    }

    public var description: String { "role \(role.arn) from \(source)" }

    /// Calls AssumeRole with the source's credentials. Runs under the lock.
    private func fetch(_ state: inout State) throws(AWSError) -> AWSCredentials {
        let requester =
            state.requester
            ?? AWSRequester(
                transport: transportFactory.makeTransport(), credentials: source, endpoint: stsEndpoint,
                retryPolicy: retryPolicy, clock: clock, timeouts: timeouts)
        state.requester = requester
        do {
            let assumed = try STSClient(requester: requester).assumeRole(
                roleARN: role.arn, sessionName: role.sessionName, externalID: role.externalID,
                durationSeconds: role.durationSeconds)
            state.cached = assumed.credentials
            return assumed.credentials
        } catch {
            var error = error
            error.message = "assuming role \(role.arn) for profile '\(role.profile)': "
                + (error.message.isEmpty ? error.code : error.message)
            throw error
        }
    }
}
