import Crypto

/// `--redact`: contact names, email addresses and phone numbers become a stable hash, so a
/// report can be shared and still compared run to run (the same value gives the same hash).
public struct Redactor: Sendable {
    public static let redactedKeys: Set<String> = ["name", "email", "phone"]

    public init() {}

    public func redact(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(members.map { key, member in
                if Self.redactedKeys.contains(key), case .string(let text) = member {
                    return (key, .string(Self.hash(text)))
                }
                return (key, redact(member))
            })
        case .array(let values):
            return .array(values.map(redact))
        default:
            return value
        }
    }

    /// `sha256:` and the first 16 hex digits of the value's SHA-256.
    static func hash(_ text: String) -> String {
        let digest = SHA256.hash(data: Array(text.utf8))
        return "sha256:" + digest.prefix(8).map { String($0, radix: 16).leftPadded(2) }.joined()
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
