/// A request as the signer sees it: what goes on the wire, before signing.
public struct SigV4Request: Sendable {
    /// HTTP method, upper case.
    public var method: String
    /// The path exactly as it is sent (already percent-encoded where the wire needs it).
    /// The canonical request encodes it once more, as every service but S3 expects.
    public var path: String
    /// Query parameters, decoded. Order does not matter; the signer sorts them.
    public var query: [(name: String, value: String)]
    /// Headers to sign, in the order they were given. Names repeat where a header repeats.
    /// Must include `Host`.
    public var headers: [(name: String, value: String)]
    /// The body bytes, hashed into the canonical request.
    public var body: [UInt8]

    public init(
        method: String,
        path: String,
        query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)],
        body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }
}
