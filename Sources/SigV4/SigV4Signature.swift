/// The result of signing: the headers to add, and every intermediate stage so tests and
/// debugging can compare against AWS's published vectors.
public struct SigV4Signature: Sendable {
    /// The headers the request must carry in addition to its own: `X-Amz-Date`, then
    /// `X-Amz-Security-Token` and `X-Amz-Content-SHA256` where used, then `Authorization`.
    public var headers: [(name: String, value: String)]
    /// The stages as the signer hashed them, UTF-8.
    var canonicalRequestBytes: [UInt8]
    var stringToSignBytes: [UInt8]
    public var authorization: String

    /// Lower-case hex: the end of `authorization`.
    public var signature: String { String(authorization.suffix(64)) }

    public var canonicalRequest: String { String(decoding: canonicalRequestBytes, as: UTF8.self) }
    public var stringToSign: String { String(decoding: stringToSignBytes, as: UTF8.self) }
}
