/// Sends one HTTP request and waits for the answer.
///
/// A transport is used by one thread at a time (a worker owns one), which is why it is not
/// `Sendable`: the curl implementation keeps one easy handle, and with it the open connection,
/// from request to request.
public protocol Transport: AnyObject {
    /// - Throws: `TransportError` when no complete HTTP response arrived. An HTTP error status
    ///   is not an error here: it is a response.
    func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse
}

/// Makes one `Transport` per worker, and one for each credential provider that calls STS.
public protocol TransportFactory: Sendable {
    func makeTransport() -> any Transport
}
