import Crypto

/// A derived SigV4 signing key, with HMAC-SHA256's key schedule already run: the hash states
/// after the key's inner and outer pads. A caller that keeps one per day, region and service
/// pays neither the four-HMAC derivation nor the key set-up again, and a signature costs the
/// message's hashing and one more block.
///
/// HMAC is written out here (RFC 2104) rather than through `HMAC<SHA256>`, whose generic path
/// cost about twice the hashing itself on every request.
public struct SigV4SigningKey: @unchecked Sendable {
    // @unchecked Sendable: `SHA256` is not marked Sendable, but it is a value type whose state
    // is copy-on-write. `inner` and `outer` are never changed in place: each signature works
    // on copies, which copy the shared state before their first update, so threads sharing
    // one key only ever read it.
    private let inner: SHA256
    private let outer: SHA256

    public init(_ key: SymmetricKey) {
        var block = [UInt8](repeating: 0, count: SHA256.blockByteCount)
        key.withUnsafeBytes { key in
            if key.count > block.count {
                let digest = SHA256.hash(data: key)
                digest.withUnsafeBytes { block.replaceSubrange(0..<$0.count, with: $0) }
            } else {
                block.replaceSubrange(0..<key.count, with: key)
            }
        }
        var inner = SHA256()
        inner.update(data: block.map { $0 ^ 0x36 })
        var outer = SHA256()
        outer.update(data: block.map { $0 ^ 0x5C })
        self.inner = inner
        self.outer = outer
    }

    /// `HMAC-SHA256(key, bytes)`.
    func authenticationCode(_ bytes: [UInt8]) -> SHA256.Digest {
        var inner = inner
        bytes.withUnsafeBytes { inner.update(bufferPointer: $0) }
        var outer = outer
        inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        return outer.finalize()
    }
}
