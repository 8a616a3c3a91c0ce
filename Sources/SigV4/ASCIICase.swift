/// ASCII case for header names, which are ASCII tokens: compared and lower-cased byte by byte,
/// without Unicode case mapping. The signer sorts canonical headers by it; a response finds a
/// header by it.
package enum ASCIICase {
    @inlinable
    package static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }

    /// Byte order of the lower-cased names: negative, zero or positive.
    @inlinable
    package static func order(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Int {
        for index in 0..<min(lhs.count, rhs.count) {
            let (a, b) = (lower(lhs[index]), lower(rhs[index]))
            if a != b { return a < b ? -1 : 1 }
        }
        return lhs.count - rhs.count
    }
}
