import Crypto

/// A derived SigV4 signing key, with HMAC's key schedule already run: a caller that keeps one
/// per day, region and service pays neither the four-HMAC derivation nor the key set-up again.
public struct SigV4SigningKey: @unchecked Sendable {
    // @unchecked Sendable: `HMAC` is not marked Sendable, but it is a value type whose hash
    // states are copy-on-write. `mac` is never changed in place: each signature works on a
    // copy, which copies the shared state before its first update, so threads sharing one
    // key only ever read it.
    let mac: HMAC<SHA256>

    public init(_ key: SymmetricKey) {
        mac = HMAC(key: key)
    }

    /// `HMAC-SHA256(key, bytes)`.
    func authenticationCode(_ bytes: [UInt8]) -> HMAC<SHA256>.MAC {
        var mac = mac
        bytes.withUnsafeBytes { mac.update(data: $0) }
        return mac.finalize()
    }
}
