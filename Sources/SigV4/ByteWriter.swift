/// Writes bytes into storage sized beforehand (an array's or a string's, while it is being
/// initialized), so a signing stage is one allocation and plain copies, not an `append` per
/// byte. Every write checks that it fits: a wrong size is a crash, never an overrun.
struct ByteWriter {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    /// Makes an array of at most `capacity` bytes from what `body` writes.
    static func array(capacity: Int, _ body: (inout ByteWriter) -> Void) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            var writer = ByteWriter(buffer)
            body(&writer)
            initialized = writer.count
        }
    }

    /// Makes a string of at most `capacity` UTF-8 bytes from what `body` writes.
    static func string(capacity: Int, _ body: (inout ByteWriter) -> Void) -> String {
        String(unsafeUninitializedCapacity: capacity) { buffer in
            var writer = ByteWriter(buffer)
            body(&writer)
            return writer.count
        }
    }

    mutating func write(_ byte: UInt8) {
        precondition(count < buffer.count, "ByteWriter: more bytes than counted")
        buffer[count] = byte
        count += 1
    }

    mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        precondition(bytes.count <= buffer.count - count, "ByteWriter: more bytes than counted")
        (buffer.baseAddress! + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func write(_ text: StaticString) {
        text.withUTF8Buffer { write($0) }
    }

    mutating func write(_ string: String) {
        string.withUTF8Bytes { write($0) }
    }

    mutating func write(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBufferPointer { write($0) }
    }

    /// Lower-case hex of `bytes`. A signature writes three hashes: each byte's two digits are
    /// looked up at once, and the position is kept in a local.
    mutating func writeHex(_ bytes: UnsafeRawBufferPointer) {
        precondition(2 * bytes.count <= buffer.count - count, "ByteWriter: more bytes than counted")
        guard !bytes.isEmpty else { return }
        let out = UnsafeMutableRawPointer(buffer.baseAddress! + count)
        Self.hexPairs.withUnsafeBufferPointer { pairs in
            for (index, byte) in bytes.enumerated() {
                out.storeBytes(of: pairs[Int(byte)], toByteOffset: 2 * index, as: UInt16.self)
            }
        }
        count += 2 * bytes.count
    }

    /// Each byte's two lower-case hex digits, as they lie in memory.
    private static let hexPairs: [UInt16] = (0...255).map { byte in
        let digits = Array("0123456789abcdef".utf8)
        var pair: UInt16 = 0
        withUnsafeMutableBytes(of: &pair) {
            $0[0] = digits[byte >> 4]
            $0[1] = digits[byte & 0x0F]
        }
        return pair
    }
}
