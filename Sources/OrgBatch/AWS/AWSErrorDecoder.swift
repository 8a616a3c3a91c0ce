import Foundation

/// Turns an HTTP error response into an `AWSError`, the way botocore's parsers read each
/// protocol (`botocore/parsers.py`):
/// - JSON 1.1 (Organizations): the body's `__type`;
/// - REST-JSON (Account, SSO, SSO OIDC): the `x-amzn-ErrorType` header, then the body's
///   `code` or `__type`;
/// - query (STS): the XML `<Error><Code>`.
/// Codes are cut at `:` and after `#` (`aws.protocoltests#FooError:http://…` -> `FooError`).
/// Any protocol may get an XML answer from AWS's front door (and moto answers signature
/// failures in XML even for JSON services), so XML is read whatever the protocol.
enum AWSErrorDecoder {
    static func decode(_ response: HTTPResponse, service: AWSService, operation: String) -> AWSError {
        var code: String?
        var message: String?
        var reason: String?
        var fields: [AWSError.ValidationField] = []
        var requestID = response.header("x-amzn-requestid") ?? response.header("x-amz-request-id")

        if XMLText.looksLikeXML(response.body) {
            let xml = String(decoding: response.body, as: UTF8.self)
            code = XMLText.first("Code", in: xml)
            message = XMLText.first("Message", in: xml)
            requestID = requestID ?? XMLText.first("RequestId", in: xml) ?? XMLText.first("RequestID", in: xml)
        } else if let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] {
            if service != .organizations {
                code = response.header("x-amzn-errortype")
            }
            code = code ?? (object["__type"] as? String) ?? (object["code"] as? String) ?? (object["Code"] as? String)
            // IAM Identity Center's OIDC errors are OAuth's `error` / `error_description`.
            message = (object["message"] as? String) ?? (object["Message"] as? String)
                ?? (object["error_description"] as? String)
            reason = (object["Reason"] as? String) ?? (object["reason"] as? String)
            for field in object["fieldList"] as? [[String: Any]] ?? [] {
                fields.append(
                    .init(name: field["name"] as? String ?? "?", message: field["message"] as? String ?? ""))
            }
        }
        if code == nil { code = response.header("x-amzn-errortype") }

        let finalCode = code.map(normalizeCode).flatMap { $0.isEmpty ? nil : $0 } ?? fallbackCode(response.status)
        var error = AWSError(
            origin: .service, service: service, operation: operation, httpStatus: response.status,
            code: finalCode, message: sanitize(message ?? ""),
            requestID: requestID, reason: reason, fieldList: fields,
            classification: AWSErrorClassifier.classify(
                code: finalCode, httpStatus: response.status, operation: operation))
        error.retryAfterSeconds = retryAfter(response)
        return error
    }

    /// Where an AWS error message starts echoing the request back. A signature error can
    /// quote the canonical request, which holds the session token: everything from the
    /// first of these on is left out of messages, reports and logs.
    static let echoMarkers = ["The Canonical String", "The String-to-Sign", "x-amz-security-token", "X-Amz-Security-Token",
        "Authorization", "Credential="]

    static func sanitize(_ message: String) -> String {
        let cut = echoMarkers.compactMap { message.range(of: $0)?.lowerBound }.min()
        guard let cut else { return message }
        return message[..<cut].trimmingSpaces() + " [the rest of the message quotes the request and is left out]"
    }

    /// `x-amz-retry-after` (milliseconds, as the AWS SDKs read it) or `Retry-After` (seconds;
    /// an HTTP date is not honoured).
    static func retryAfter(_ response: HTTPResponse) -> Double? {
        if let text = response.header("x-amz-retry-after"), let milliseconds = Double(text), milliseconds >= 0 {
            return milliseconds / 1000
        }
        if let text = response.header("retry-after"), let seconds = Double(text), seconds >= 0 {
            return seconds
        }
        return nil
    }

    /// botocore: cut at the first `:`, then keep what follows the last `#`.
    static func normalizeCode(_ raw: String) -> String {
        var code = Substring(raw)
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        return code.trimmingSpaces()
    }

    /// When the body names no code, the status must speak (as botocore does with the status
    /// text): `ServiceUnavailable` for 503 and so on.
    static func fallbackCode(_ status: Int) -> String {
        switch status {
        case 400: "BadRequest"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 413: "RequestEntityTooLarge"
        case 429: "TooManyRequestsException"
        case 500: "InternalError"
        case 502: "BadGateway"
        case 503: "ServiceUnavailable"
        case 504: "GatewayTimeout"
        default: "HTTP\(status)"
        }
    }
}
