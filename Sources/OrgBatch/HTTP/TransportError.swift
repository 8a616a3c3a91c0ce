/// A request that got no complete HTTP response, with what that means for a retry.
public struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        /// The host name did not resolve.
        case resolve
        /// No TCP connection could be made (refused, unreachable).
        case connect
        /// The TLS handshake failed.
        case tls
        /// The peer's certificate did not verify (or no CA bundle could be read). Never retried.
        case certificate
        /// The request could not be sent completely.
        case send
        /// The response was cut off or could not be read.
        case receive
        /// The connect or total time limit ran out.
        case timeout
        /// The server closed the connection without a byte of response.
        case emptyReply
        /// The request itself is unusable (bad URL, protocol not allowed). Never retried.
        case invalidRequest
        /// Anything else the transport reported.
        case other
    }

    public var kind: Kind
    /// Human detail from the transport (curl's error buffer), free of headers and bodies.
    public var detail: String
    /// The transport's own code (curl's `CURLcode`), for bug reports.
    public var underlyingCode: Int

    public init(kind: Kind, detail: String, underlyingCode: Int = 0) {
        self.kind = kind
        self.detail = detail
        self.underlyingCode = underlyingCode
    }

    /// Whether the server may have received (and applied) the request. False only when the
    /// failure happened before any byte was sent, so even a non-idempotent call could be resent.
    public var requestMayHaveReachedServer: Bool {
        switch kind {
        case .resolve, .connect, .invalidRequest: false
        case .tls, .certificate, .send, .receive, .timeout, .emptyReply, .other: true
        }
    }

    /// Whether sending the same request again can help. A certificate that does not verify or an
    /// unusable URL will fail the same way again; everything else may be passing. Callers still
    /// decide about idempotency with `requestMayHaveReachedServer`.
    public var isRetryable: Bool {
        switch kind {
        case .invalidRequest, .certificate: false
        default: true
        }
    }

    /// A stable short code for reports, for example `transport.timeout`.
    public var code: String { "transport." + kind.rawValue }

    public var description: String { "\(kind.rawValue) error: \(detail)" }
}
