import Foundation

/// IAM Identity Center's OIDC API (REST-JSON), used only to refresh a cached SSO token as
/// the aws CLI does. Unsigned: the client secret and refresh token are the credentials.
public struct SSOOIDCClient {
    /// What `CreateToken` answers.
    public struct Token: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        public var accessToken: String
        public var expiresInSeconds: Int
        /// A new refresh token, when the service rotates it.
        public var refreshToken: String?

        /// Never the tokens.
        public var description: String { "SSOOIDCClient.Token(expiresIn: \(expiresInSeconds))" }
        public var debugDescription: String { description }
        public var customMirror: Mirror { Mirror(self, children: ["expiresInSeconds": expiresInSeconds]) }
    }

    let requester: AWSRequester

    public init(requester: AWSRequester) {
        precondition(requester.endpoint.service == .ssoOIDC)
        self.requester = requester
    }

    /// `CreateToken` with `grantType = refresh_token`: `POST /token`.
    public func refresh(clientID: String, clientSecret: String, refreshToken: String) throws(AWSError) -> Token {
        let body: [String: Any] = [
            "grantType": "refresh_token", "clientId": clientID, "clientSecret": clientSecret,
            "refreshToken": refreshToken,
        ]
        let request = AWSRequest(
            operation: "CreateToken", method: "POST", path: "/token",
            headers: [("Content-Type", "application/json")],
            body: Array(try! JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])), unsigned: true)
        let response = try requester.send(request)
        guard let object = (try? JSONSerialization.jsonObject(with: Data(response.http.body))) as? [String: Any],
            let accessToken = object["accessToken"] as? String, let expiresIn = object["expiresIn"] as? Int
        else {
            throw AWSError.malformedResponse(
                response, service: .ssoOIDC, operation: "CreateToken", "the response has no accessToken or expiresIn")
        }
        return Token(accessToken: accessToken, expiresInSeconds: expiresIn, refreshToken: object["refreshToken"] as? String)
    }
}
