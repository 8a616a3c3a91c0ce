/// A JSON value with ordered object keys, written compactly: the report's building block.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        default: false
        }
    }

    /// `value`, or `null` when nil.
    public static func optional(_ value: String?) -> JSONValue {
        value.map { .string($0) } ?? .null
    }

    /// Whether `other` is this very value: the same array storage for an object or an array
    /// (arrays sharing storage hold the same elements), equal otherwise. Cheap, and false for
    /// equal objects built apart.
    func isIdentical(to other: JSONValue) -> Bool {
        func sameStorage<Element>(_ lhs: [Element], _ rhs: [Element]) -> Bool {
            lhs.withUnsafeBufferPointer { lhs in rhs.withUnsafeBufferPointer { lhs.baseAddress == $0.baseAddress } }
                && lhs.count == rhs.count
        }
        switch (self, other) {
        case (.object(let lhs), .object(let rhs)): return sameStorage(lhs, rhs)
        case (.array(let lhs), .array(let rhs)): return sameStorage(lhs, rhs)
        case (.object, _), (.array, _), (_, .object), (_, .array): return false
        default: return self == other
        }
    }

    /// Compact JSON text.
    public var text: String {
        var out = JSONWriter()
        write(to: &out)
        return out.text
    }

    func write(to out: inout JSONWriter) {
        switch self {
        case .null: out.null()
        case .bool(let value): out.bool(value)
        case .int(let value): out.int(value)
        case .string(let value): out.string(value)
        case .array(let values):
            out.raw("[")
            for (index, value) in values.enumerated() {
                if index > 0 { out.raw(",") }
                value.write(to: &out)
            }
            out.raw("]")
        case .object(let members):
            out.raw("{")
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out.raw(",") }
                out.key(key)
                value.write(to: &out)
            }
            out.raw("}")
        }
    }
}
