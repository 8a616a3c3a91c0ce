/// One AWS operation call as a service client builds it, before endpoint, signing and retries.
public struct AWSRequest: Sendable {
    public var operation: String
    public var method: String
    /// The operation's path (`/`, `/putAlternateContact`), below the endpoint's base path.
    public var path: String
    public var query: [(name: String, value: String)]
    /// Protocol headers (`Content-Type`, `X-Amz-Target`); all of them are signed.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Sent without a signature (STS `AssumeRoleWithWebIdentity`: the token is the credential).
    public var unsigned: Bool

    public init(
        operation: String, method: String = "POST", path: String = "/",
        query: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = [],
        body: [UInt8] = [], unsigned: Bool = false
    ) {
        self.unsigned = unsigned
        self.operation = operation
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }
}

/// A successful answer, with what it took to get it.
public struct AWSResponse: Sendable {
    public var http: HTTPResponse
    public var requestID: String?
    /// Attempts made, 1 when the first one succeeded.
    public var attempts: Int
    /// Throttled answers seen on the way.
    public var throttles: Int
}
