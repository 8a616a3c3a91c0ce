/// Just enough XML for the STS query protocol and the XML errors AWS front ends return: the
/// text of the first element with a given name. STS answers are small and flat enough that a
/// full parser would buy nothing.
enum XMLText {
    /// The unescaped text of the first `<name>…</name>` (attributes allowed), or nil.
    static func first(_ name: String, in xml: String) -> String? {
        var searchStart = xml.startIndex
        while let open = xml.range(of: "<" + name, range: searchStart..<xml.endIndex) {
            guard let tagEnd = xml[open.upperBound...].firstIndex(of: ">") else { return nil }
            let next = xml[open.upperBound]
            // `<CodeX>` is not `<Code>`: the name must end at white space, `>` or `/`.
            guard next == ">" || next == " " || next == "/" || next == "\t" || next == "\n" else {
                searchStart = open.upperBound
                continue
            }
            if xml[xml.index(before: tagEnd)] == "/" { return "" }  // <Name/>
            let contentStart = xml.index(after: tagEnd)
            guard let close = xml.range(of: "</" + name + ">", range: contentStart..<xml.endIndex) else { return nil }
            return unescape(xml[contentStart..<close.lowerBound])
        }
        return nil
    }

    /// Whether `body` looks like XML rather than JSON.
    static func looksLikeXML(_ body: [UInt8]) -> Bool {
        body.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 } == UInt8(ascii: "<")
    }

    static func unescape(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var out = ""
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                if entity.hasPrefix("#x"), let value = UInt32(entity.dropFirst(2), radix: 16), let scalar = Unicode.Scalar(value) {
                    out.unicodeScalars.append(scalar)
                } else if entity.hasPrefix("#"), let value = UInt32(entity.dropFirst()), let scalar = Unicode.Scalar(value) {
                    out.unicodeScalars.append(scalar)
                } else {
                    out += rest[amp...semi]
                }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}
