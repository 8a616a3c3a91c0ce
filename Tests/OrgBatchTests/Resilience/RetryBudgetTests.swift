import Foundation
import Testing

@testable import OrgBatch

@Suite("Retry budget per endpoint and Retry-After")
struct RetryBudgetTests {
    func error(_ classification: AWSError.Classification, origin: AWSError.Origin = .service) -> AWSError {
        AWSError(origin: origin, service: .account, operation: "PutAlternateContact", code: "X", message: "", classification: classification)
    }

    @Test func costsAndRefunds() {
        let budget = RetryBudget()
        #expect(budget.spend(after: error(.transient)))
        #expect(budget.remaining == 495)
        #expect(budget.spend(after: error(.transient, origin: .transport)))
        #expect(budget.remaining == 485)
        #expect(budget.spend(after: error(.throttle)))
        #expect(budget.remaining == 484)
        budget.refund()
        #expect(budget.remaining == 485)
        for _ in 0..<100 { budget.refund() }
        #expect(budget.remaining == RetryBudget.capacity)
    }

    @Test func anOutageSpendsTheBudgetAndRetriesStop() throws {
        let transport = ScriptedTransport(fallback: { _ in HTTPResponse(status: 503, body: []) })
        let budget = RetryBudget()
        let requester = AWSRequester(
            transport: transport, credentials: StaticCredentialProvider(Fixtures.keys, source: "test"),
            endpoint: Fixtures.endpoint(.account), retryPolicy: StandardRetryPolicy(maxAttempts: 1000, random: FixedRandom(value: 0)),
            clock: ManualClock(), retryBudget: budget)
        #expect {
            _ = try requester.send(AWSRequest(operation: "PutAlternateContact", path: "/putAlternateContact"))
        } throws: { error in
            (error as! AWSError).message.contains("retry budget")
        }
        #expect(transport.sent.count == RetryBudget.capacity / RetryBudget.transientCost + 1)
        #expect(budget.remaining < RetryBudget.transientCost)
    }

    @Test func retryAfterHeadersAreRead() {
        let milliseconds = AWSErrorDecoder.decode(
            HTTPResponse(status: 429, headers: [("x-amz-retry-after", "1500"), ("x-amzn-ErrorType", "TooManyRequestsException")]),
            service: .account, operation: "PutAlternateContact")
        #expect(milliseconds.retryAfterSeconds == 1.5)
        let seconds = AWSErrorDecoder.decode(HTTPResponse(status: 503, headers: [("Retry-After", "3")]), service: .organizations, operation: "ListRoots")
        #expect(seconds.retryAfterSeconds == 3)
        let date = AWSErrorDecoder.decode(
            HTTPResponse(status: 503, headers: [("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT")]), service: .organizations, operation: "ListRoots")
        #expect(date.retryAfterSeconds == nil)
    }

    @Test("the policy honours Retry-After within its cap", arguments: [(0.5, 0.5), (4.0, 4.0), (100.0, 20.0), (0.0, 0.25)])
    func honoured(asked: Double, expected: Double) {
        var failure = error(.throttle)
        failure.retryAfterSeconds = asked
        let policy = StandardRetryPolicy(maxAttempts: 5, random: FixedRandom(value: 0.25))
        #expect(policy.decide(after: failure, attempt: 1) == .retry(afterSeconds: expected))
    }

    @Test func noRetryAfterAnInterrupt() throws {
        let transport = ScriptedTransport(fallback: { _ in HTTPResponse(status: 500, body: []) })
        let requester = AWSRequester(
            transport: transport, credentials: StaticCredentialProvider(Fixtures.keys, source: "test"),
            endpoint: Fixtures.endpoint(.account), retryPolicy: StandardRetryPolicy(maxAttempts: 8, random: FixedRandom(value: 0)),
            clock: ManualClock(), shouldStop: { true })
        #expect(throws: AWSError.self) { try requester.send(AWSRequest(operation: "PutAlternateContact")) }
        #expect(transport.sent.count == 1)
    }

    @Test func signatureErrorsDoNotEchoTheRequest() {
        let body = """
            <ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. The Canonical String for this request should have been 'POST / x-amz-security-token:IQoJb3JpZ2luX2VjEXAMPLETOKEN' The String-to-Sign should have been 'AWS4-HMAC-SHA256'</Message></Error></ErrorResponse>
            """
        let error = AWSErrorDecoder.decode(HTTPResponse(status: 403, body: Array(body.utf8)), service: .sts, operation: "GetCallerIdentity")
        #expect(!error.message.contains("IQoJb3JpZ2luX2VjEXAMPLETOKEN"))
        #expect(!error.message.contains("x-amz-security-token"))
        #expect(error.message.hasPrefix("The request signature we calculated does not match"))
    }
}
