/// One HTTP request, ready for a `Transport`: the URL is complete and the headers are final
/// (signed ones included).
public struct HTTPRequest: Sendable {
    public var method: String
    /// `scheme://host[:port]/path[?query]`, percent-encoded as it goes on the wire.
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var timeouts: HTTPTimeouts

    public init(
        method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        timeouts: HTTPTimeouts = HTTPTimeouts()
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeouts = timeouts
    }
}

/// Per-request time limits.
public struct HTTPTimeouts: Sendable, Equatable {
    /// Time to establish the TCP (and TLS) connection, in seconds.
    public var connect: Double
    /// Time for the whole exchange, in seconds.
    public var total: Double

    public init(connect: Double = 5, total: Double = 30) {
        self.connect = connect
        self.total = total
    }
}
