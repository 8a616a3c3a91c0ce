import Foundation
import Synchronization

/// The access token of one IAM Identity Center login, read from the cache `aws sso login`
/// writes and, for an `sso_session` login, refreshed the way the aws CLI refreshes it
/// (botocore `SSOTokenProvider`): with less than 15 minutes left, and a refresh token and
/// unexpired client registration in the cache, call the OIDC service's `CreateToken` and
/// write the new token back to the same file. A legacy login (`sso_start_url` in the
/// profile) is never refreshed. An expired token fails with the `aws sso login` command
/// that renews it.
///
/// Shared by every profile of the same login; one read or refresh at a time.
public final class SSOTokenProvider: Sendable {
    /// Which login, and how to renew it.
    public struct Login: Sendable, Equatable {
        /// The `[sso-session NAME]`, nil for a legacy profile.
        public var sessionName: String?
        public var startURL: String
        public var region: String
        /// The profile that uses it, for the legacy `aws sso login --profile` command.
        public var profile: String

        /// The command that renews an expired login.
        public var loginCommand: String {
            sessionName.map { "aws sso login --sso-session \($0)" } ?? "aws sso login --profile \(profile)"
        }
    }

    static let refreshWindowSeconds: Double = 15 * 60
    /// At most one refresh attempt a minute when the service refuses (botocore's pace).
    static let attemptIntervalSeconds: Double = 60

    public let login: Login
    /// `~/.aws/sso/cache`.
    public let cacheDirectory: String
    /// The login's file in it.
    public let cacheFile: String
    let clock: any WallClock
    private let makeRequester: @Sendable () -> AWSRequester
    private let state = Mutex(State())

    private struct State {
        var requester: AWSRequester?
        var lastRefreshAttempt: Date?
        /// Why the last refresh failed, for the message when the token then runs out.
        var lastRefreshFailure: String?
    }

    public init(
        login: Login, cacheDirectory: String, oidcEndpoint: ServiceEndpoint, transportFactory: any TransportFactory,
        clock: any WallClock, retryPolicy: any RetryPolicy, timeouts: HTTPTimeouts
    ) {
        self.login = login
        self.cacheDirectory = cacheDirectory
        cacheFile = cacheDirectory + "/" + SSOToken.cacheFileName(sessionName: login.sessionName, startURL: login.startURL)
        self.clock = clock
        makeRequester = {
            AWSRequester(
                transport: transportFactory.makeTransport(), credentials: NoCredentials(), endpoint: oidcEndpoint,
                retryPolicy: retryPolicy, clock: clock, timeouts: timeouts)
        }
    }


    /// An access token valid now.
    /// - Throws: `credentials.sso-login-required` when there is no usable token; the message
    ///   names the command to run.
    public func accessToken() throws(AWSError) -> String {
        try state.withLock { (state: inout State) throws(AWSError) -> String in
            guard let data = FileManager.default.contents(atPath: cacheFile), var token = SSOToken.parse(data) else {
                throw loginRequired("no SSO login is cached for \(loginName) (\(cacheFile) is missing or unreadable)")
            }
            let now = clock.now()
            if login.sessionName != nil, token.expiresAt.timeIntervalSince(now) < Self.refreshWindowSeconds,
                token.canRefresh(now: now),
                state.lastRefreshAttempt.map({ now.timeIntervalSince($0) >= Self.attemptIntervalSeconds }) ?? true
            {
                state.lastRefreshAttempt = now
                let requester = state.requester ?? makeRequester()
                state.requester = requester
                do throws(AWSError) {
                    let fresh = try SSOOIDCClient(requester: requester).refresh(
                        clientID: token.clientID!, clientSecret: token.clientSecret!, refreshToken: token.refreshToken!)
                    token.accessToken = fresh.accessToken
                    token.expiresAt = now + Double(fresh.expiresInSeconds)
                    token.refreshToken = fresh.refreshToken ?? token.refreshToken
                    state.lastRefreshFailure = nil
                    save(token)
                } catch {
                    state.lastRefreshFailure = error.code  // the code only: the message may quote the request
                }
            }
            guard token.expiresAt > now else {
                throw loginRequired(
                    "the SSO login for \(loginName) expired at \(SSOToken.formatTime(token.expiresAt))"
                        + (state.lastRefreshFailure.map { " (refreshing it failed: \($0))" } ?? ""))
            }
            return token.accessToken
        }
    }

    var loginName: String {
        login.sessionName.map { "sso-session '\($0)'" } ?? "start URL \(login.startURL)"
    }

    func loginRequired(_ reason: String) -> AWSError {
        AWSError(
            origin: .credentials, service: .sso, operation: "sso-token", code: "credentials.sso-login-required",
            message: "\(reason); run: \(login.loginCommand)", classification: .terminal)
    }

    /// Writes the refreshed token where the aws CLI will find it: a file created private
    /// (mode 0600 from the start, a unique name), then renamed over the old one whole. Any
    /// failure leaves the old file as it was.
    private func save(_ token: SSOToken) {
        guard let contents = token.serialized(), !contents.isEmpty else { return }
        var template = Array((cacheFile + ".orgbatch-XXXXXX").utf8CString)
        let descriptor = mkstemp(&template)  // creates the file 0600
        guard descriptor >= 0 else { return }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let written = contents.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let closed = close(descriptor)
        guard written == contents.count, closed == 0, rename(temporary, cacheFile) == 0 else {
            unlink(temporary)
            return
        }
    }
}
