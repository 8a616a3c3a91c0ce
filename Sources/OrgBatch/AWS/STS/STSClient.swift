import Foundation

/// AWS STS over the query protocol: `POST /` with a form body `Action=…&Version=2011-06-15`,
/// answers in XML.
public struct STSClient {
    public static let apiVersion = "2011-06-15"

    let requester: AWSRequester

    public init(requester: AWSRequester) {
        precondition(requester.endpoint.service == .sts)
        self.requester = requester
    }

    public func getCallerIdentity() throws(AWSError) -> CallerIdentity {
        let (xml, response) = try call("GetCallerIdentity", [])
        guard let account = XMLText.first("Account", in: xml), let arn = XMLText.first("Arn", in: xml) else {
            throw malformed("GetCallerIdentity", response, missing: "Account or Arn")
        }
        return CallerIdentity(account: account, arn: arn, userId: XMLText.first("UserId", in: xml) ?? "")
    }

    /// - Parameters:
    ///   - durationSeconds: sent only when set, as botocore does (STS then uses 3600).
    ///   - mfa: the MFA device and the code typed for it (`SerialNumber`, `TokenCode`).
    public func assumeRole(
        roleARN: String, sessionName: String, externalID: String? = nil, durationSeconds: Int? = nil,
        mfa: (serial: String, code: String)? = nil
    ) throws(AWSError) -> AssumedRole {
        var parameters = [("RoleArn", roleARN), ("RoleSessionName", sessionName)]
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        if let externalID { parameters.append(("ExternalId", externalID)) }
        if let mfa { parameters += [("SerialNumber", mfa.serial), ("TokenCode", mfa.code)] }
        let (xml, response) = try call("AssumeRole", parameters)
        return try assumedRole(xml, response, operation: "AssumeRole")
    }

    /// `AssumeRoleWithWebIdentity`, sent unsigned: the token is the credential.
    public func assumeRoleWithWebIdentity(
        roleARN: String, sessionName: String, token: String, durationSeconds: Int? = nil
    ) throws(AWSError) -> AssumedRole {
        var parameters = [("RoleArn", roleARN), ("RoleSessionName", sessionName), ("WebIdentityToken", token)]
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        let (xml, response) = try call("AssumeRoleWithWebIdentity", parameters, unsigned: true)
        return try assumedRole(xml, response, operation: "AssumeRoleWithWebIdentity")
    }

    private func assumedRole(_ xml: String, _ response: AWSResponse, operation: String) throws(AWSError) -> AssumedRole {
        guard let keyID = XMLText.first("AccessKeyId", in: xml),
            let secret = XMLText.first("SecretAccessKey", in: xml),
            let token = XMLText.first("SessionToken", in: xml),
            let expirationText = XMLText.first("Expiration", in: xml),
            let expiration = Self.parseTimestamp(expirationText)
        else {
            throw malformed(operation, response, missing: "Credentials")
        }
        let roleUser = XMLText.first("AssumedRoleUser", in: xml) ?? ""
        return AssumedRole(
            credentials: AWSCredentials(
                accessKeyID: keyID, secretAccessKey: secret, sessionToken: token, expiration: expiration),
            assumedRoleARN: XMLText.first("Arn", in: roleUser) ?? "",
            assumedRoleId: XMLText.first("AssumedRoleId", in: roleUser) ?? "")
    }

    func call(_ action: String, _ parameters: [(String, String)], unsigned: Bool = false) throws(AWSError)
        -> (String, AWSResponse)
    {
        let form = ([("Action", action), ("Version", Self.apiVersion)] + parameters)
            .map { formEncode($0.0) + "=" + formEncode($0.1) }
            .joined(separator: "&")
        let request = AWSRequest(
            operation: action,
            headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
            body: Array(form.utf8), unsigned: unsigned)
        let response = try requester.send(request)
        return (String(decoding: response.http.body, as: UTF8.self), response)
    }

    private func formEncode(_ text: String) -> String {
        SigV4Encoding.percentEncode(text)
    }

    private func malformed(_ operation: String, _ response: AWSResponse, missing: String) -> AWSError {
        AWSError.malformedResponse(response, service: .sts, operation: operation, "the response has no \(missing)")
    }

    /// ISO 8601 UTC, with or without fractional seconds: `2011-07-15T23:28:33.359Z`.
    static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
