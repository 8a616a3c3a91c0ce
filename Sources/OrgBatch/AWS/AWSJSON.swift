import Foundation

/// JSON as AWS's JSON protocols write it: members in PascalCase (`AccountId`), timestamps as
/// epoch seconds. Swift models keep camelCase names; the key strategies translate.
enum AWSJSON {
    /// A flat object of strings, keys sorted (by their bytes: AWS member names are ASCII): the
    /// common request body, written directly.
    static func encode(_ object: [String: String]) -> [UInt8] {
        encode(members: object.map { ($0.key, $0.value) })
    }

    /// A flat object of strings from its members (sorted here unless they come sorted).
    static func encode(members: [(String, String)]) -> [UInt8] {
        var members = members
        let precedes: ((String, String), (String, String)) -> Bool = { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        if zip(members, members.dropFirst()).contains(where: { !precedes($0, $1) }) {
            members.sort(by: precedes)
        }
        var out = JSONWriter(capacity: 256)
        out.stringObject(members)
        return out.bytes
    }

    static func encode<Value: Encodable>(_ value: Value) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .custom { path in
            AnyCodingKey(path.last!.stringValue.prefix(1).uppercased() + path.last!.stringValue.dropFirst())
        }
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain model structs of strings cannot fail.
        return Array(try! encoder.encode(value))
    }

    static func decode<Value: Decodable>(
        _ type: Value.Type, from response: AWSResponse, service: AWSService, operation: String
    ) throws(AWSError) -> Value {
        // Writes answer with an empty body or `{}`: nothing to decode.
        if Value.self == EmptyShape.self { return EmptyShape() as! Value }
        let body = response.http.body.isEmpty ? Array("{}".utf8) : response.http.body
        func malformed(_ error: any Error) -> AWSError {
            AWSError.malformedResponse(
                response, service: service, operation: operation,
                "the response body could not be read as \(Value.self): \(error)")
        }
        // A page of accounts, read without `JSONDecoder` (see `JSONReader`).
        if let readable = Value.self as? any JSONReader.Readable.Type {
            do {
                return try body.withUnsafeBytes { bytes throws(JSONReader.Failure) in
                    var reader = JSONReader(bytes)
                    let value = try readable.init(reading: &reader)
                    try reader.finish()
                    return value as! Value
                }
            } catch {
                throw malformed(error)
            }
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .custom { path in
            AnyCodingKey(path.last!.stringValue.prefix(1).lowercased() + path.last!.stringValue.dropFirst())
        }
        decoder.dateDecodingStrategy = .secondsSince1970
        do {
            // Decoded in place: a page of accounts can be large, and a copy would double it.
            // (Read-only: the body is shared with the response, so a mutable view would copy
            // it; the decoder only reads the bytes it is lent.)
            return try body.withUnsafeBytes { bytes in
                try decoder.decode(
                    type,
                    from: Data(
                        bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes.baseAddress!), count: bytes.count,
                        deallocator: .none))
            }
        } catch {
            throw malformed(error)
        }
    }
}

/// A coding key made from any string.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(_ string: String) {
        stringValue = string
        intValue = nil
    }

    init?(stringValue: String) { self.init(stringValue) }

    init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// The empty request or response body `{}`.
struct EmptyShape: Codable {}
