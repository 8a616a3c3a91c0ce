/// Role credentials from IAM Identity Center: the portal's `GetRoleCredentials` for the
/// profile's `sso_account_id` and `sso_role_name`, with the access token of its login.
/// Cached and refreshed before expiry like every temporary credential, one call at a time.
public final class SSOCredentialProvider: CredentialProvider {
    public let accountID: String
    public let roleName: String
    public let token: SSOTokenProvider
    private let cache: CredentialCache<AWSRequester>

    public init(
        accountID: String, roleName: String, token: SSOTokenProvider, portalEndpoint: ServiceEndpoint,
        transportFactory: any TransportFactory, clock: any WallClock, retryPolicy: any RetryPolicy,
        timeouts: HTTPTimeouts
    ) {
        self.accountID = accountID
        self.roleName = roleName
        self.token = token
        cache = CredentialCache(
            credentials: NoCredentials(), endpoint: portalEndpoint, transportFactory: transportFactory, clock: clock,
            retryPolicy: retryPolicy, timeouts: timeouts)
    }

    public func credentials() throws(AWSError) -> AWSCredentials {
        try cache.credentials { (requester) throws(AWSError) in try fetch(requester) }
    }

    public func invalidate(ifAccessKeyID accessKeyID: String?) {
        cache.invalidate(ifAccessKeyID: accessKeyID)
    }

    public var description: String {
        "IAM Identity Center role \(roleName) in \(accountID) (\(token.loginName), profile '\(token.login.profile)')"
    }

    /// Runs under the cache's lock.
    private func fetch(_ requester: AWSRequester) throws(AWSError) -> AWSCredentials {
        let accessToken = try token.accessToken()
        do {
            return try SSOClient(requester: requester).getRoleCredentials(
                accountID: accountID, roleName: roleName, accessToken: accessToken)
        } catch where error.code == "UnauthorizedException" {
            throw token.loginRequired("the portal refused the SSO login for \(token.loginName) as expired or invalid")
        } catch {
            var error = error
            error.message = "getting role \(roleName) in \(accountID) from IAM Identity Center: "
                + (error.message.isEmpty ? error.code : error.message)
            throw error
        }
    }
}
