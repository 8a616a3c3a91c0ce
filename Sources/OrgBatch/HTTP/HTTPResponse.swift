import SigV4

/// What came back: status, headers (names lower-cased, in order) and body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var body: [UInt8]
    /// The headers as a list, or as the block the transport received.
    private var fields: Fields

    private enum Fields: Sendable {
        case list([(name: String, value: String)])
        /// `Name: value` lines as received, each ending in a line feed: a response's headers
        /// are read by name once or twice (its request id), so they are not made into a
        /// dozen `String`s each.
        case block([UInt8])
    }

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.fields = .list(headers.map { (Self.lowercasedName($0.name), $0.value) })
        self.body = body
    }

    /// For a transport that keeps the header lines as they arrived (libcurl's handle): taken
    /// as they are, read when asked for.
    package init(status: Int, headerBlock: [UInt8], body: [UInt8]) {
        self.status = status
        self.fields = .block(headerBlock)
        self.body = body
    }

    /// Every header, names lower-cased, in the order received.
    public var headers: [(name: String, value: String)] {
        get {
            switch fields {
            case .list(let list):
                return list
            case .block(let block):
                var list: [(name: String, value: String)] = []
                Self.forEachField(in: block) { name, value in
                    list.append((Self.lowercased(name), String(decoding: value, as: UTF8.self)))
                    return false
                }
                return list
            }
        }
        set { fields = .list(newValue) }
    }

    /// The first header of that name, compared without case.
    public func header(_ name: String) -> String? {
        switch fields {
        case .list(let list):
            let wanted = Self.lowercasedName(name)
            return list.first { $0.name == wanted }?.value
        case .block(let block):
            return name.withUTF8Bytes { wanted in
                var found: String?
                Self.forEachField(in: block) { name, value in
                    guard ASCIICase.order(name, wanted) == 0 else { return false }
                    found = String(decoding: value, as: UTF8.self)
                    return true
                }
                return found
            }
        }
    }

    /// Header names are ASCII tokens, usually lower-case already: only a name with an
    /// upper-case or non-ASCII byte is converted.
    static func lowercasedName(_ name: String) -> String {
        name.utf8.contains { $0 >= 0x80 || ($0 >= 0x41 && $0 <= 0x5A) } ? name.lowercased() : name
    }

    /// Calls `body` with each `name: value` line's name (white space before the colon trimmed)
    /// and value (trimmed on both sides) until it returns true. Lines without a colon (a blank
    /// line) are passed over.
    private static func forEachField(
        in block: [UInt8], _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Bool
    ) {
        block.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            func trimmed(_ lower: Int, _ upper: Int) -> UnsafeBufferPointer<UInt8> {
                var (lower, upper) = (lower, upper)
                while lower < upper && isSpace(base[lower]) { lower += 1 }
                while upper > lower && isSpace(base[upper - 1]) { upper -= 1 }
                return UnsafeBufferPointer(start: base + lower, count: upper - lower)
            }
            var start = 0
            while start < bytes.count {
                // One pass over the line for its colon and its end.
                var (end, colon) = (start, -1)
                while end < bytes.count && base[end] != UInt8(ascii: "\n") {
                    if colon < 0 && base[end] == UInt8(ascii: ":") { colon = end }
                    end += 1
                }
                if colon >= 0 {
                    // The name as it starts (a folded line's leading space stays, so it names
                    // nothing), without the white space before its colon.
                    var nameEnd = colon
                    while nameEnd > start && isSpace(base[nameEnd - 1]) { nameEnd -= 1 }
                    let name = UnsafeBufferPointer(start: base + start, count: nameEnd - start)
                    if body(name, trimmed(colon + 1, end)) { return }
                }
                start = end + 1
            }
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    private static func lowercased(_ name: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: name.count) { out in
            for (index, byte) in name.enumerated() { out[index] = ASCIICase.lower(byte) }
            return name.count
        }
    }
}
