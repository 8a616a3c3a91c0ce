extension String {
    /// Lends the string's UTF-8 bytes to `body`.
    ///
    /// `withUTF8` needs a mutable copy (`var copy = string`), and the copy costs a retain and a
    /// release of the string's storage: an atomic write to memory that other threads' copies of
    /// a shared string (an org's name, a contact's values) also write. Signing a request and
    /// writing its report line lend some sixty strings this way. A native string lends its
    /// bytes in place; only a bridged or foreign one is copied.
    @inlinable
    package func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}
