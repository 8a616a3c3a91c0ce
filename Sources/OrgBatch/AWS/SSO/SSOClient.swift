import Foundation

/// IAM Identity Center's portal API (REST-JSON), as the aws CLI calls it for SSO profiles.
/// Unsigned: the SSO access token is the credential.
public struct SSOClient {
    let requester: AWSRequester

    public init(requester: AWSRequester) {
        precondition(requester.endpoint.service == .sso)
        self.requester = requester
    }

    /// `GetRoleCredentials`: `GET /federation/credentials?role_name=…&account_id=…` with the
    /// token in `x-amz-sso_bearer_token`. The answer's `expiration` is in epoch milliseconds.
    public func getRoleCredentials(accountID: String, roleName: String, accessToken: String) throws(AWSError)
        -> AWSCredentials
    {
        let request = AWSRequest(
            operation: "GetRoleCredentials", method: "GET", path: "/federation/credentials",
            query: [("role_name", roleName), ("account_id", accountID)],
            headers: [("x-amz-sso_bearer_token", accessToken)], unsigned: true)
        let response = try requester.send(request)
        guard let object = (try? JSONSerialization.jsonObject(with: Data(response.http.body))) as? [String: Any],
            let role = object["roleCredentials"] as? [String: Any],
            let keyID = role["accessKeyId"] as? String, let secret = role["secretAccessKey"] as? String,
            let token = role["sessionToken"] as? String, let milliseconds = role["expiration"] as? Double
        else {
            throw AWSError.malformedResponse(
                response, service: .sso, operation: "GetRoleCredentials", "the response has no complete roleCredentials")
        }
        return AWSCredentials(
            accessKeyID: keyID, secretAccessKey: secret, sessionToken: token,
            expiration: Date(timeIntervalSince1970: milliseconds / 1000))
    }
}
