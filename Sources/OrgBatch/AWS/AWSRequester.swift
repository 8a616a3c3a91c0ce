import SigV4

/// Sends AWS requests for one service from one worker: signs every attempt afresh, retries as
/// the policy says, and turns failures into `AWSError`.
///
/// Not `Sendable`: it owns its worker's `Transport`.
public final class AWSRequester {
    /// Where the requests go and how they are signed, paced and timed: shared with the other
    /// requesters of the same organization and service.
    let settings: RequestSettings
    let transport: any Transport
    let retryPolicy: any RetryPolicy

    public var endpoint: ServiceEndpoint { settings.endpoint }

    /// Attempts sent over this requester's life, throttled answers among them, and the request
    /// id of the last answer: what a report line says about a task.
    public private(set) var attemptsMade = 0
    public private(set) var throttlesSeen = 0
    public private(set) var lastRequestID: String?
    /// The access key the last attempt was signed with.
    private var lastAccessKeyID: String?

    public convenience init(
        transport: any Transport, credentials: any CredentialProvider, endpoint: ServiceEndpoint,
        retryPolicy: any RetryPolicy = StandardRetryPolicy(), clock: any WallClock = SystemClock(),
        timeouts: HTTPTimeouts = HTTPTimeouts(), userAgent: String = OrgBatchVersion.userAgent,
        rateLimiter: RateLimiter? = nil, rateScope: String? = nil, retryBudget: RetryBudget? = nil,
        shouldStop: (@Sendable () -> Bool)? = nil, signingKeys: SigningKeyCache? = nil
    ) {
        self.init(
            transport: transport,
            settings: RequestSettings(
                RequestSettings.RunWide(
                    clock: clock, timeouts: timeouts, userAgent: userAgent, rateLimiter: rateLimiter, shouldStop: shouldStop),
                endpoint: endpoint, credentials: credentials, rateScope: rateScope, retryBudget: retryBudget,
                signingKeys: signingKeys),
            retryPolicy: retryPolicy)
    }

    public init(transport: any Transport, settings: RequestSettings, retryPolicy: any RetryPolicy) {
        self.transport = transport
        self.settings = settings
        self.retryPolicy = retryPolicy
    }

    /// Sends `request` until it succeeds, fails for good, or the policy stops retrying.
    public func send(_ request: AWSRequest) throws(AWSError) -> AWSResponse {
        var attempt = 0
        var throttles = 0
        var refreshedExpiredToken = false
        let (rateLimiter, retryBudget) = (settings.run.rateLimiter, settings.retryBudget)
        let rateKey = settings.rateScope.map { RateKey(account: $0, service: settings.endpoint.service, operation: request.operation) }
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
                failure = AWSErrorDecoder.decode(response, service: settings.endpoint.service, operation: request.operation)
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
                settings.credentials.invalidate(ifAccessKeyID: lastAccessKeyID)
                continue
            }
            switch retryPolicy.decide(after: failure, attempt: attempt) {
            case .doNotRetry:
                throw failure
            case .retry(let seconds):
                if settings.run.shouldStop?() == true { throw failure }
                if let retryBudget, !retryBudget.spend(after: failure) {
                    failure.message += (failure.message.isEmpty ? "" : " ")
                        + "(not retried: the retry budget for \(settings.endpoint.url) is spent, as too many requests to it failed)"
                    throw failure
                }
                // Paced: the server's Retry-After only, capped as the policy caps it.
                let wait = pacedByLimiter(failure, rateKey, throttles: throttles)
                    ? failure.retryAfterSeconds.map { min($0, seconds) } ?? 0 : seconds
                if wait > 0 { settings.run.clock.sleep(seconds: wait) }
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
        guard failure.classification == .throttle, throttles == 1, let rateLimiter = settings.run.rateLimiter, let rateKey
        else { return false }
        return rateLimiter.governs(rateKey)
    }

    static let expiredTokenCodes: Set<String> = ["ExpiredToken", "ExpiredTokenException", "RequestExpired"]

    /// One signed attempt.
    private func sendOnce(_ request: AWSRequest) throws(AWSError) -> HTTPResponse {
        let host = settings.endpoint.url.hostHeader
        let path = settings.endpoint.url.basePath + request.path
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
            let keys = try settings.credentials.credentials()
            lastAccessKeyID = keys.accessKeyID
            let signer = SigV4Signer(
                credentials: keys.signing, region: settings.endpoint.signingRegion, service: settings.endpoint.service.signingName)
            let now = settings.run.clock.now()
            signatureHeaders = signer.sign(
                toSign, date: now,
                signingKey: settings.signingKeys?.key(
                    for: keys.signing, date: now, region: settings.endpoint.signingRegion, service: settings.endpoint.service.signingName)
            ).headers
        }
        swap(&headers, &toSign.headers)
        headers += signatureHeaders
        headers.append(("User-Agent", settings.run.userAgent))

        var url = settings.endpoint.url.url(path: request.path)
        if !request.query.isEmpty {
            url += "?" + request.query.map {
                SigV4Signer.uriEncode($0.name, keepSlash: false) + "=" + SigV4Signer.uriEncode($0.value, keepSlash: false)
            }.joined(separator: "&")
        }
        let http = HTTPRequest(
            method: request.method, url: url,
            headers: headers, body: request.body, timeouts: settings.run.timeouts)
        do {
            return try transport.send(http)
        } catch {
            throw AWSError.transport(error, service: settings.endpoint.service, operation: request.operation)
        }
    }
}
