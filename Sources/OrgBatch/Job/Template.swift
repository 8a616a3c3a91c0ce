/// `${name}` references to an organization's `vars`.
public enum Template {
    public struct MissingVariable: Error, Sendable, Equatable {
        public var name: String
    }

    /// `text` with each `${name}` replaced by `vars[name]`.
    public static func expand(_ text: String, _ vars: [String: String]) throws(MissingVariable) -> String {
        guard text.contains("${") else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                out += rest[open.lowerBound...]
                return out
            }
            let name = String(rest[open.upperBound..<close])
            guard let value = vars[name] else { throw MissingVariable(name: name) }
            out += value
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    public static func expandAll(_ texts: [String], _ vars: [String: String]) throws(MissingVariable) -> [String] {
        var out: [String] = []
        for text in texts { out.append(try expand(text, vars)) }
        return out
    }

    /// The variable names `text` refers to.
    public static func references(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            names.append(String(rest[open.upperBound..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}
