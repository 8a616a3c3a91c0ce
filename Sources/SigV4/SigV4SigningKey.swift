import Crypto

/// A derived SigV4 signing key, with HMAC's key schedule already run: a caller that keeps one
/// per day, region and service pays neither the four-HMAC derivation nor the key set-up again.
public struct SigV4SigningKey {
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
