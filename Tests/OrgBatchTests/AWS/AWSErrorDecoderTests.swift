import Testing

@testable import OrgBatch

@Suite("Decoding AWS error answers, protocol by protocol")
struct AWSErrorDecoderTests {
    func decode(
        _ service: AWSService, _ operation: String, status: Int, body: String,
        headers: [(name: String, value: String)] = []
    ) -> AWSError {
        AWSErrorDecoder.decode(
            HTTPResponse(status: status, headers: headers, body: Array(body.utf8)), service: service, operation: operation)
    }

    @Test func organizationsJSON() {
        let error = decode(
            .organizations, "EnableAWSServiceAccess", status: 400,
            body: #"{"__type":"com.amazonaws.awsorganizations#ConstraintViolationException","Message":"Not all features","Reason":"ORGANIZATION_NOT_IN_ALL_FEATURES_MODE"}"#,
            headers: [("x-amzn-RequestId", "rid-1")])
        #expect(error.code == "ConstraintViolationException")
        #expect(error.message == "Not all features")
        #expect(error.reason == "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE")
        #expect(error.requestID == "rid-1")
        #expect(error.httpStatus == 400)
        #expect(error.classification == .terminal)
        #expect(error.origin == .service)
    }

    @Test func organizationsThrottleComesAs400() {
        let error = decode(
            .organizations, "ListAccounts", status: 400,
            body: #"{"__type":"TooManyRequestsException","Message":"AWS Organizations can't complete your request because another request is already in progress.","Type":"ACCOUNT"}"#)
        #expect(error.classification == .throttle)
    }

    @Test func accountRESTJSONHeaderFirst() {
        let error = decode(
            .account, "GetAlternateContact", status: 404, body: #"{"message":"No contact of the type BILLING"}"#,
            headers: [("X-Amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.account/")])
        #expect(error.code == "ResourceNotFoundException")
        #expect(error.message == "No contact of the type BILLING")
        #expect(error.classification == .terminal)
        let delete = decode(
            .account, "DeleteAlternateContact", status: 404, body: #"{"message":"none"}"#,
            headers: [("x-amzn-ErrorType", "ResourceNotFoundException")])
        #expect(delete.classification == .noOp)
    }

    @Test func accountValidationFieldList() {
        let error = decode(
            .account, "PutAlternateContact", status: 400,
            body: #"{"message":"Invalid","reason":"fieldValidationFailed","fieldList":[{"name":"EmailAddress","message":"bad email"}]}"#,
            headers: [("x-amzn-ErrorType", "ValidationException")])
        #expect(error.code == "ValidationException")
        #expect(error.reason == "fieldValidationFailed")
        #expect(error.fieldList == [.init(name: "EmailAddress", message: "bad email")])
        #expect(error.description.contains("EmailAddress: bad email"))
    }

    @Test func accountCodeFromBodyWhenNoHeader() {
        let error = decode(.account, "PutAlternateContact", status: 429, body: #"{"code":"TooManyRequestsException","message":"slow"}"#)
        #expect(error.code == "TooManyRequestsException")
        #expect(error.classification == .throttle)
    }

    @Test func stsQueryXML() {
        let error = decode(
            .sts, "AssumeRole", status: 403,
            body: """
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::1:user/x is not authorized &amp; so on</Message></Error>
                  <RequestId>4fc0d3ee-efef</RequestId>
                </ErrorResponse>
                """)
        #expect(error.code == "AccessDenied")
        #expect(error.message == "User: arn:aws:iam::1:user/x is not authorized & so on")
        #expect(error.requestID == "4fc0d3ee-efef")
    }

    @Test func motoXMLAuthErrorOnAJSONService() {
        // moto answers a bad signature in XML, labelled text/html, even from JSON services.
        let error = decode(
            .organizations, "ListAccounts", status: 403,
            body: """
                <?xml version="1.0" encoding="UTF-8"?>
                <ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error></Errors><RequestId>7a62c49f</RequestId></ErrorResponse>
                """,
            headers: [("Content-Type", "text/html; charset=utf-8")])
        #expect(error.code == "SignatureDoesNotMatch")
        #expect(error.message.hasPrefix("The request signature we calculated"))
        #expect(error.requestID == "7a62c49f")
        #expect(error.classification == .terminal)
    }

    @Test func emptyBodiesFallBackToTheStatus() {
        #expect(decode(.organizations, "ListRoots", status: 503, body: "").code == "ServiceUnavailable")
        #expect(decode(.organizations, "ListRoots", status: 503, body: "").classification == .transient)
        #expect(decode(.account, "PutAlternateContact", status: 502, body: "<html>bad gateway</html>").code == "BadGateway")
        #expect(decode(.account, "PutAlternateContact", status: 418, body: "").code == "HTTP418")
    }

    @Test("code normalisation", arguments: [
        ("FooError", "FooError"),
        ("aws.protocoltests.restjson#FooError", "FooError"),
        ("FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/", "FooError"),
        ("aws.protocoltests.restjson#FooError:http://internal.amazon.com/", "FooError"),
    ])
    func normalisation(raw: String, code: String) {
        #expect(AWSErrorDecoder.normalizeCode(raw) == code)
    }

    @Test("classification", arguments: [
        ("TooManyRequestsException", 400, "ListAccounts", AWSError.Classification.throttle),
        ("Throttling", 400, "AssumeRole", .throttle),
        ("ConcurrentModificationException", 400, "EnableAWSServiceAccess", .transient),
        ("ServiceException", 500, "ListAccounts", .transient),
        ("InternalServerException", 500, "PutAlternateContact", .transient),
        ("AccountAlreadyRegisteredException", 400, "RegisterDelegatedAdministrator", .noOp),
        ("AccountNotRegisteredException", 400, "DeregisterDelegatedAdministrator", .noOp),
        ("AccountNotRegisteredException", 400, "ListDelegatedServicesForAccount", .terminal),
        ("AccessDeniedException", 403, "PutAlternateContact", .terminal),
        ("Whatever", 429, "PutAlternateContact", .throttle),
    ])
    func classification(code: String, status: Int, operation: String, expected: AWSError.Classification) {
        #expect(AWSErrorClassifier.classify(code: code, httpStatus: status, operation: operation) == expected)
    }
}
