import Foundation
import Testing

@testable import OrgBatch

@Suite("Sending AWS requests: signing every attempt, retries, errors")
struct AWSRequesterTests {
    let request = AWSRequest(
        operation: "PutAlternateContact", path: "/putAlternateContact", headers: [("Content-Type", "application/json")],
        body: Array(#"{"AlternateContactType":"BILLING"}"#.utf8))

    @Test func signsWithHostDateAndContentTypeButNotUserAgent() throws {
        let transport = ScriptedTransport([ScriptedTransport.json(200, [:])])
        _ = try Fixtures.requester(.account, transport).send(request)
        let sent = try #require(transport.sent.first)
        #expect(sent.url == "https://account.us-east-1.amazonaws.com/putAlternateContact")
        #expect(sent.method == "POST")
        #expect(sent.header("Host") == "account.us-east-1.amazonaws.com")
        #expect(sent.header("User-Agent") == OrgBatchVersion.userAgent)
        let authorization = try #require(sent.header("Authorization"))
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261118/us-east-1/account/aws4_request"))
        #expect(authorization.contains("SignedHeaders=content-type;host;x-amz-date,"))
    }

    @Test func retriesTransientFaultsSigningEachAttemptAfresh() throws {
        let clock = ManualClock()
        let transport = ScriptedTransport([
            ScriptedTransport.text(500, ""),
            .failure(TransportError(kind: .emptyReply, detail: "Empty reply from server")),
            ScriptedTransport.json(200, [:]),
        ])
        let requester = Fixtures.requester(
            .account, transport, clock: clock,
            retryPolicy: StandardRetryPolicy(maxAttempts: 3, transientBase: 2, random: FixedRandom(value: 0.5)))
        let response = try requester.send(request)
        #expect(response.attempts == 3)
        #expect(clock.sleeps == [1, 2])
        let dates = transport.sent.map { $0.header("X-Amz-Date") }
        #expect(Set(dates).count == 3)  // the clock moved, and each attempt was signed again
    }

    @Test func countsThrottlesAndGivesUpWithTheLastError() throws {
        let transport = ScriptedTransport([
            ScriptedTransport.json(429, ["message": "slow down"], headers: [("x-amzn-ErrorType", "TooManyRequestsException")]),
            ScriptedTransport.json(429, ["message": "slow down"], headers: [("x-amzn-ErrorType", "TooManyRequestsException")]),
        ])
        let requester = Fixtures.requester(.account, transport, retryPolicy: StandardRetryPolicy(maxAttempts: 2, random: FixedRandom(value: 0)))
        #expect {
            _ = try requester.send(request)
        } throws: { error in
            let error = error as! AWSError
            return error.code == "TooManyRequestsException" && error.attempts == 2 && error.classification == .throttle
                && error.operation == "PutAlternateContact" && error.service == .account
        }
    }

    @Test func terminalErrorsFailAtOnce() throws {
        let transport = ScriptedTransport([
            ScriptedTransport.json(403, ["message": "denied"], headers: [("x-amzn-ErrorType", "AccessDeniedException")])
        ])
        #expect(throws: AWSError.self) { try Fixtures.requester(.account, transport).send(request) }
        #expect(transport.sent.count == 1)
    }

    @Test func expiredTokenRefreshesCredentialsOnce() throws {
        final class CountingProvider: CredentialProvider, @unchecked Sendable {
            // @unchecked Sendable: only touched from the test's single thread.
            var invalidations = 0
            func credentials() throws(AWSError) -> AWSCredentials { Fixtures.keys }
            func invalidate(ifAccessKeyID accessKeyID: String?) { invalidations += 1 }
            var description: String { "counting" }
        }
        let provider = CountingProvider()
        let expired = ScriptedTransport.json(400, ["__type": "ExpiredTokenException", "message": "expired"])
        let transport = ScriptedTransport([expired, ScriptedTransport.json(200, [:])])
        let requester = Fixtures.requester(.organizations, transport, credentials: provider)
        _ = try requester.send(AWSRequest(operation: "ListRoots"))
        #expect(provider.invalidations == 1)

        let twice = ScriptedTransport([expired, expired])
        #expect(throws: AWSError.self) {
            try Fixtures.requester(.organizations, twice, credentials: provider).send(AWSRequest(operation: "ListRoots"))
        }
        #expect(twice.sent.count == 2)
    }

    @Test func transportErrorsKeepTheirKindAndContext() throws {
        let transport = ScriptedTransport([.failure(TransportError(kind: .certificate, detail: "SSL certificate problem", underlyingCode: 60))])
        #expect {
            _ = try Fixtures.requester(.organizations, transport).send(AWSRequest(operation: "ListRoots"))
        } throws: { error in
            let error = error as! AWSError
            return error.origin == .transport && error.code == "transport.certificate" && error.classification == .terminal
                && error.operation == "ListRoots" && error.httpStatus == nil
        }
    }
}
