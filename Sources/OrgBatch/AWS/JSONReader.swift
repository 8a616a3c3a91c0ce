/// Reads one JSON text (RFC 8259) in place, value by value, for the responses read in bulk: a
/// page of `ListAccounts` decoded by `JSONDecoder` cost about 40 k instructions an account, most
/// of it building a map of the whole body and renaming every key of every account. This reader
/// builds nothing but the strings asked for, and skips the rest.
///
/// It checks the grammar of everything it passes, skipped values included, and fails with
/// the byte offset. Strings are decoded with their escapes (`\uXXXX` surrogate pairs joined, a
/// lone surrogate read as U+FFFD); bytes that are not UTF-8 are repaired the same way.
struct JSONReader {
    /// A type read straight from JSON text, without `Decodable`.
    protocol Readable {
        init(reading reader: inout JSONReader) throws(Failure)
    }

    struct Failure: Error, Equatable, CustomStringConvertible {
        var message: String
        var offset: Int
        var description: String { "\(message) at byte \(offset)" }
    }

    /// An object member's name: its bytes as written, and decoded only when it has escapes.
    struct Key {
        fileprivate var raw: UnsafeRawBufferPointer
        fileprivate var decoded: String?

        static func == (key: Key, name: String) -> Bool {
            if let decoded = key.decoded { return decoded == name }
            return key.raw.elementsEqual(name.utf8)
        }
    }

    /// Nesting deeper than this is refused rather than followed.
    static let maximumDepth = 256

    private let bytes: UnsafeRawBufferPointer
    private var offset = 0
    private var depth = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    // MARK: Values

    /// Reads an object; `member` is called with each name and must read or skip its value.
    mutating func readObject(_ member: (inout JSONReader, Key) throws(Failure) -> Void) throws(Failure) {
        if try open(UInt8(ascii: "{"), closedBy: UInt8(ascii: "}"), "expected an object") { return }
        repeat {
            skipWhitespace()
            let (start, end, escaped) = try scanString()
            let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
            let key = Key(raw: raw, decoded: escaped ? try unescape(start, end) : nil)
            try expect(UInt8(ascii: ":"), "expected ':' after an object member's name")
            try member(&self, key)
        } while try consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"), "expected ',' or '}' in an object")
        depth -= 1
    }

    /// Reads an array; `element` is called for each element and must read or skip it.
    mutating func readArray(_ element: (inout JSONReader) throws(Failure) -> Void) throws(Failure) {
        if try open(UInt8(ascii: "["), closedBy: UInt8(ascii: "]"), "expected an array") { return }
        repeat {
            try element(&self)
        } while try consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"), "expected ',' or ']' in an array")
        depth -= 1
    }

    mutating func readString() throws(Failure) -> String {
        skipWhitespace()
        let (start, end, escaped) = try scanString()
        if escaped { return try unescape(start, end) }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// Reads a `null` if one comes next, and says whether it did.
    mutating func readNull() -> Bool {
        skipWhitespace()
        guard bytes[offset...].starts(with: "null".utf8) else { return false }
        offset += 4
        return true
    }

    /// A string, or nil for `null`.
    mutating func readOptionalString() throws(Failure) -> String? {
        readNull() ? nil : try readString()
    }

    /// Passes over one value of any kind, checking it.
    mutating func skipValue() throws(Failure) {
        skipWhitespace()
        guard offset < bytes.count else { throw failure("expected a value, found the end") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): try readObject { reader, _ throws(Failure) in try reader.skipValue() }
        case UInt8(ascii: "["): try readArray { reader throws(Failure) in try reader.skipValue() }
        case UInt8(ascii: "\""): _ = try scanString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: try skipNumber()
        }
    }

    /// Checks that nothing but whitespace follows the value read.
    mutating func finish() throws(Failure) {
        skipWhitespace()
        if offset < bytes.count { throw failure("unexpected bytes after the JSON value") }
    }

    // MARK: Grammar

    /// Opens an object or array one level deeper; true when it is empty (and so already closed).
    private mutating func open(_ opener: UInt8, closedBy closer: UInt8, _ message: String) throws(Failure) -> Bool {
        try expect(opener, message)
        depth += 1
        if depth > Self.maximumDepth { throw failure("nested deeper than \(Self.maximumDepth) levels") }
        guard try consume(closer) else { return false }
        depth -= 1
        return true
    }

    private mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8, _ message: @autoclosure () -> String) throws(Failure) {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == byte else { throw failure(message()) }
        offset += 1
    }

    private mutating func consume(_ byte: UInt8) throws(Failure) -> Bool {
        skipWhitespace()
        guard offset < bytes.count else { throw failure("unexpected end of the JSON text") }
        guard bytes[offset] == byte else { return false }
        offset += 1
        return true
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let word = UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard bytes[offset...].starts(with: word) else { throw failure("expected a value") }
        offset += word.count
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func skipNumber() throws(Failure) {
        let start = offset
        func digits(_ reader: inout JSONReader) -> Int {
            let first = reader.offset
            while reader.offset < reader.bytes.count, (0x30...0x39).contains(reader.bytes[reader.offset]) {
                reader.offset += 1
            }
            return reader.offset - first
        }
        func next(_ reader: JSONReader) -> UInt8? {
            reader.offset < reader.bytes.count ? reader.bytes[reader.offset] : nil
        }
        if next(self) == UInt8(ascii: "-") { offset += 1 }
        if next(self) == UInt8(ascii: "0") {
            offset += 1
        } else if digits(&self) == 0 {
            offset = start
            throw failure("expected a value")
        }
        if next(self) == UInt8(ascii: ".") {
            offset += 1
            guard digits(&self) > 0 else { throw failure("expected a digit after '.' in a number") }
        }
        if next(self) == UInt8(ascii: "e") || next(self) == UInt8(ascii: "E") {
            offset += 1
            if next(self) == UInt8(ascii: "+") || next(self) == UInt8(ascii: "-") { offset += 1 }
            guard digits(&self) > 0 else { throw failure("expected a digit in a number's exponent") }
        }
    }

    /// Passes over a string from its opening quote; returns where its contents start and end,
    /// and whether they hold escapes.
    private mutating func scanString() throws(Failure) -> (start: Int, end: Int, escaped: Bool) {
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw failure("expected a string") }
        offset += 1
        let start = offset
        var escaped = false
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                offset += 1
                return (start, offset - 1, escaped)
            }
            if byte < 0x20 { throw failure("a control character inside a string") }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                offset += 1
                guard offset < bytes.count else { break }
                switch bytes[offset] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    break
                case UInt8(ascii: "u"):
                    guard offset + 4 < bytes.count, (1...4).allSatisfy({ Self.hexValue(bytes[offset + $0]) != nil }) else {
                        throw failure("\\u must be followed by four hex digits")
                    }
                    offset += 4
                default:
                    throw failure("an unknown escape in a string")
                }
            }
            offset += 1
        }
        throw failure("a string without its closing quote")
    }

    /// The contents of a string already scanned (so its escapes are known to be well formed).
    private func unescape(_ start: Int, _ end: Int) throws(Failure) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var index = start
        func hex4(_ at: Int) -> UInt32 {
            (1...4).reduce(0) { $0 << 4 | UInt32(Self.hexValue(bytes[at + $1])!) }
        }
        while index < end {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                index += 1
                continue
            }
            let kind = bytes[index + 1]
            index += 2
            switch kind {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(index - 1)
                index += 4
                if (0xD800...0xDBFF).contains(scalar), index + 5 < end, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                {
                    let low = hex4(index + 1)
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
                UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}") { out.append($0) }
            default: out.append(kind)  // `"`, `\` and `/` stand for themselves
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    /// A failure at the current offset, for a reader of a type that finds a value missing.
    func failure(_ message: String) -> Failure {
        Failure(message: message, offset: offset)
    }
}
