import SigV4

/// Sends AWS requests for one service from one worker: signs every attempt afresh, retries as
/// the policy says, and turns failures into `AWSError`.
///
/// Not `Sendable`: it owns its worker's `Transport`.
public final class AWSRequester {
    public let endpoint: ServiceEndpoint
    let transport: any Transport
    let credentials: any CredentialProvider
    let retryPolicy: any RetryPolicy
    let clock: any WallClock
    let timeouts: HTTPTimeouts
    let userAgent: String
    /// Client-side pacing, and the account whose buckets this requester draws from.
    let rateLimiter: RateLimiter?
    let rateScope: String?
    let retryBudget: RetryBudget?
    /// Asked before each retry: true stops retrying (the run was interrupted).
    let shouldStop: (@Sendable () -> Bool)?
    /// The run's signing keys, when it keeps them.
    let signingKeys: SigningKeyCache?

    /// Attempts sent over this requester's life, throttled answers among them, and the request
    /// id of the last answer: what a report line says about a task.
    public private(set) var attemptsMade = 0
    public private(set) var throttlesSeen = 0
    public private(set) var lastRequestID: String?
    /// The access key the last attempt was signed with.
    private var lastAccessKeyID: String?

    public init(
        transport: any Transport, credentials: any CredentialProvider, endpoint: ServiceEndpoint,
        retryPolicy: any RetryPolicy = StandardRetryPolicy(), clock: any WallClock = SystemClock(),
        timeouts: HTTPTimeouts = HTTPTimeouts(), userAgent: String = OrgBatchVersion.userAgent,
        rateLimiter: RateLimiter? = nil, rateScope: String? = nil, retryBudget: RetryBudget? = nil,
        shouldStop: (@Sendable () -> Bool)? = nil, signingKeys: SigningKeyCache? = nil
    ) {
        self.shouldStop = shouldStop
        self.signingKeys = signingKeys
        self.rateLimiter = rateLimiter
        self.rateScope = rateScope
        self.retryBudget = retryBudget
        self.transport = transport
        self.credentials = credentials
        self.endpoint = endpoint
        self.retryPolicy = retryPolicy
        self.clock = clock
        self.timeouts = timeouts
        self.userAgent = userAgent
    }

    /// Sends `request` until it succeeds, fails for good, or the policy stops retrying.
    public func send(_ request: AWSRequest) throws(AWSError) -> AWSResponse {
        var attempt = 0
        var throttles = 0
        var refreshedExpiredToken = false
        let rateKey = rateScope.map { RateKey(account: $0, service: endpoint.service, operation: request.operation) }
        while true {
            attempt += 1
            attemptsMade += 1
            if let rateLimiter, let rateKey { rateLimiter.acquire(rateKey) }
            var failure: AWSError
            do {
                let response = try sendOnce(request)
                let requestID = response.header("x-amzn-requestid") ?? response.header("x-amz-request-id")
                lastRequestID = requestID ?? lastRequestID
                if (200..<300).contains(response.status) {
                    if let rateLimiter, let rateKey { rateLimiter.recordSuccess(rateKey) }
                    retryBudget?.refund()
                    return AWSResponse(http: response, requestID: requestID, attempts: attempt, throttles: throttles)
                }
                failure = AWSErrorDecoder.decode(response, service: endpoint.service, operation: request.operation)
                lastRequestID = failure.requestID ?? lastRequestID
            } catch {
                failure = error
            }
            failure.attempts = attempt
            if failure.classification == .throttle {
                throttles += 1
                throttlesSeen += 1
                if let rateLimiter, let rateKey { rateLimiter.recordThrottle(rateKey) }
            } else if failure.origin == .service, let rateLimiter, let rateKey {
                rateLimiter.recordSuccess(rateKey)  // an answer that is not a throttle: the pace was fine
            }

            // Credentials that expired under us: fetch new ones once and go again at once.
            // (An unsigned request's "expired token" is its own token, not these credentials.)
            if Self.expiredTokenCodes.contains(failure.code), !refreshedExpiredToken, !request.unsigned {
                refreshedExpiredToken = true
                credentials.invalidate(ifAccessKeyID: lastAccessKeyID)
                continue
            }
            switch retryPolicy.decide(after: failure, attempt: attempt) {
            case .doNotRetry:
                throw failure
            case .retry(let seconds):
                if shouldStop?() == true { throw failure }
                if let retryBudget, !retryBudget.spend(after: failure) {
                    failure.message += (failure.message.isEmpty ? "" : " ")
                        + "(not retried: the retry budget for \(endpoint.url) is spent, as too many requests to it failed)"
                    throw failure
                }
                // Paced: the server's Retry-After only, capped as the policy caps it.
                let wait = pacedByLimiter(failure, rateKey, throttles: throttles)
                    ? failure.retryAfterSeconds.map { min($0, seconds) } ?? 0 : seconds
                if wait > 0 { clock.sleep(seconds: wait) }
            }
        }
    }

    /// A request's first throttle is retried as the rate limiter paces it, where it governs the
    /// operation: the throttle has slowed the bucket (or one just before it did), so the
    /// retry's `acquire` queues it behind the workers already waiting, at the lowered rate. The
    /// policy's jittered backoff on top would only add idle time; with a run's last requests it
    /// delays the whole run by up to a second. A second throttle of the same request means the
    /// pace is not the whole story (the quota is shared with others): from then on the policy's
    /// backoff applies. The server's own `Retry-After` is honoured either way.
    private func pacedByLimiter(_ failure: AWSError, _ rateKey: RateKey?, throttles: Int) -> Bool {
        guard failure.classification == .throttle, throttles == 1, let rateLimiter, let rateKey else { return false }
        return rateLimiter.governs(rateKey)
    }

    static let expiredTokenCodes: Set<String> = ["ExpiredToken", "ExpiredTokenException", "RequestExpired"]

    /// One signed attempt.
    private func sendOnce(_ request: AWSRequest) throws(AWSError) -> HTTPResponse {
        let host = endpoint.url.hostHeader
        let path = endpoint.url.basePath + request.path
        // Host, the request's own headers, then (after signing) the signature's and User-Agent:
        // one array, sized once.
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(request.headers.count + 5)
        headers.append(("Host", host))
        headers.append(contentsOf: request.headers)
        var toSign = SigV4Request(
            method: request.method, path: path, query: request.query, headers: headers, body: request.body)
        headers = []  // the request to sign holds the only reference; taken back below
        var signatureHeaders: [(name: String, value: String)] = []
        if !request.unsigned {
            let keys = try credentials.credentials()
            lastAccessKeyID = keys.accessKeyID
            let signer = SigV4Signer(
                credentials: keys.signing, region: endpoint.signingRegion, service: endpoint.service.signingName)
            let now = clock.now()
            signatureHeaders = signer.sign(
                toSign, date: now,
                signingKey: signingKeys?.key(
                    for: keys.signing, date: now, region: endpoint.signingRegion, service: endpoint.service.signingName)
            ).headers
        }
        swap(&headers, &toSign.headers)
        headers += signatureHeaders
        headers.append(("User-Agent", userAgent))

        var url = endpoint.url.url(path: request.path)
        if !request.query.isEmpty {
            url += "?" + request.query.map {
                SigV4Signer.uriEncode($0.name, keepSlash: false) + "=" + SigV4Signer.uriEncode($0.value, keepSlash: false)
            }.joined(separator: "&")
        }
        let http = HTTPRequest(
            method: request.method, url: url,
            headers: headers, body: request.body, timeouts: timeouts)
        do {
            return try transport.send(http)
        } catch {
            throw AWSError.transport(error, service: endpoint.service, operation: request.operation)
        }
    }
}
