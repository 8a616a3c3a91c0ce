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

    /// A requester drawing from `limiter`, with the policy's backoff at half its ceiling.
    private func limited(_ transport: ScriptedTransport, _ limiter: RateLimiter, _ clock: ManualClock) -> AWSRequester {
        AWSRequester(
            transport: transport, credentials: StaticCredentialProvider(Fixtures.keys, source: "test"),
            endpoint: Fixtures.endpoint(.account), retryPolicy: StandardRetryPolicy(random: FixedRandom(value: 0.5)),
            clock: clock, rateLimiter: limiter, rateScope: "111111111111")
    }

    /// Sends `request` through rate buckets (the defaults unless `table` says otherwise); the
    /// answer and the waits on the clock.
    private func sendUnderTheLimiter(
        _ answers: [ScriptedTransport.Step], table: RateLimitTable = RateLimitTable()
    ) throws -> (AWSResponse, [Double]) {
        let clock = ManualClock()
        let limiter = RateLimiter(table: table, clock: clock)
        let response = try limited(ScriptedTransport(answers), limiter, clock).send(request)
        return (response, clock.sleeps)
    }

    private static func throttle(retryAfter: String? = nil) -> ScriptedTransport.Step {
        ScriptedTransport.json(
            429, ["message": "slow down"],
            headers: [("x-amzn-ErrorType", "TooManyRequestsException")] + (retryAfter.map { [("Retry-After", $0)] } ?? []))
    }

    private static let throttle = throttle()

    @Test func theRateLimiterAlonePacesTheRetryOfAThrottle() throws {
        let (response, sleeps) = try sendUnderTheLimiter([Self.throttle, ScriptedTransport.json(200, [:])])
        #expect(response.attempts == 2 && response.throttles == 1)
        // The first token was there; the throttle cut the rate from 5/s to 3.5/s and emptied
        // the bucket, so the retry waited one token at 3.5/s, and no 0.5 s of backoff on top.
        #expect(sleeps.count == 1)
        #expect(abs(sleeps[0] - 1 / 3.5) < 0.001)
    }

    /// 2 s as asked (in that time the bucket refilled, so the retry went at once); an absurd
    /// value only up to the policy's cap.
    @Test(arguments: [("2", 2.0), ("1e9", 20.0)])
    func aThrottledRetryWaitsWhatTheServerAsksUpToTheCap(asked: String, waited: Double) throws {
        let (_, sleeps) = try sendUnderTheLimiter([Self.throttle(retryAfter: asked), ScriptedTransport.json(200, [:])])
        #expect(sleeps == [waited])
    }

    @Test func aSecondThrottleOfTheSameRequestBacksOffAsThePolicySays() throws {
        let (response, sleeps) = try sendUnderTheLimiter([Self.throttle, Self.throttle, ScriptedTransport.json(200, [:])])
        #expect(response.attempts == 3 && response.throttles == 2)
        // First retry: a token at the cut rate (3.5/s). Second: the policy's backoff (0.5 × 2 s);
        // the second throttle came within a second of the first, so it did not cut the rate
        // again, and the refilled bucket let the third attempt go at once.
        #expect(sleeps.count == 2)
        #expect(abs(sleeps[0] - 1 / 3.5) < 0.001)
        #expect(sleeps[1] == 1)
    }

    @Test func withoutABucketAThrottleBacksOffAsThePolicySays() throws {
        let (_, sleeps) = try sendUnderTheLimiter(
            [Self.throttle, ScriptedTransport.json(200, [:])], table: RateLimitTable(configured: ["*": .unlimited]))
        #expect(sleeps == [0.5])  // 0.5 × the throttle base of 1 s
    }

    @Test func aTransientFaultBacksOffEvenUnderTheLimiter() throws {
        let (_, sleeps) = try sendUnderTheLimiter([ScriptedTransport.text(500, ""), ScriptedTransport.json(200, [:])])
        // 0.05 s of backoff (0.5 × 0.1 s); by then the bucket had refilled a little, and the
        // retry waited for the rest of its token at 5/s: 0.2 s in all.
        #expect(sleeps.first == 0.05)
        #expect(abs(sleeps.reduce(0, +) - 0.2) < 0.001)
    }
}
