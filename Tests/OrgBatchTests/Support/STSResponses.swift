import Foundation
import OrgBatch

/// Canned STS answers.
enum STSResponses {
    static func assumeRole(keyID: String, secret: String, token: String, expiration: String) -> ScriptedTransport.Step {
        ScriptedTransport.text(
            200,
            """
            <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleResult>
                <AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId><Arn>arn:aws:sts::111111111111:assumed-role/Admin/s</Arn></AssumedRoleUser>
                <Credentials>
                  <AccessKeyId>\(keyID)</AccessKeyId>
                  <SecretAccessKey>\(secret)</SecretAccessKey>
                  <SessionToken>\(token)</SessionToken>
                  <Expiration>\(expiration)</Expiration>
                </Credentials>
              </AssumeRoleResult>
              <ResponseMetadata><RequestId>rid-1</RequestId></ResponseMetadata>
            </AssumeRoleResponse>
            """, headers: [("Content-Type", "text/xml")])
    }

    static func error(_ status: Int, code: String, message: String) -> ScriptedTransport.Step {
        ScriptedTransport.text(
            status,
            """
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <Error><Type>Sender</Type><Code>\(code)</Code><Message>\(message)</Message></Error>
              <RequestId>rid-err</RequestId>
            </ErrorResponse>
            """)
    }

    /// The access key id a signed request was signed with.
    static func signingKeyID(of request: HTTPRequest) -> String? {
        guard let authorization = request.header("Authorization"),
            let credential = authorization.split(separator: " ").first(where: { $0.hasPrefix("Credential=") })
        else { return nil }
        return String(credential.dropFirst("Credential=".count).split(separator: "/")[0])
    }
}
