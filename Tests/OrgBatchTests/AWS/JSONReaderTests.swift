import Foundation
import Testing

@testable import OrgBatch

@Suite("JSONReader: JSON text read in place")
struct JSONReaderTests {
    /// Reads `text` with `body`, then checks that nothing follows.
    private func read<T>(_ text: String, _ body: (inout JSONReader) throws(JSONReader.Failure) -> T) throws -> T {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { raw in
            var reader = JSONReader(raw)
            let value = try body(&reader)
            try reader.finish()
            return value
        }
    }

    private func failure(_ text: String, _ body: (inout JSONReader) throws(JSONReader.Failure) -> Void) -> JSONReader.Failure? {
        do {
            try read(text, body)
            return nil
        } catch {
            return error as? JSONReader.Failure
        }
    }

    private func skip(_ reader: inout JSONReader) throws(JSONReader.Failure) { try reader.skipValue() }

    @Test(arguments: [
        (#""plain""#, "plain"),
        (#""q\"b\\s\/""#, #"q"b\s/"#),
        (#""\b\f\n\r\t""#, "\u{8}\u{C}\n\r\t"),
        (#""\u0041\u00e9\u20AC""#, "Aé€"),
        (#""\ud83d\ude00 x""#, "😀 x"),
        (#""lone \ud83d end""#, "lone \u{FFFD} end"),
        (#""é€😀 as UTF-8""#, "é€😀 as UTF-8"),
        (#""""#, ""),
    ])
    func stringsAreDecodedWithTheirEscapes(text: String, expected: String) throws {
        #expect(try read(text) { reader throws(JSONReader.Failure) in try reader.readString() } == expected)
    }

    @Test func objectsGiveEachNameInOrderAndEscapedNamesCompareDecoded() throws {
        var names: [String] = []
        var values: [String] = []
        try read(#" { "a" : "1", "\u0049d":"2" ,"c":"3"} "#) { reader throws(JSONReader.Failure) in
            try reader.readObject { reader, key throws(JSONReader.Failure) in
                names.append(key == "a" ? "a" : key == "Id" ? "Id" : "other")
                values.append(try reader.readString())
            }
        }
        #expect(names == ["a", "Id", "other"])
        #expect(values == ["1", "2", "3"])
    }

    @Test(arguments: [
        "{}", "[]", "0", "-0", "12.5e+3", "-1E-7", "0.25", "true", "false", "null", #""s""#,
        #"{"a":[1,{"b":[true,false,null,"x\"y"]},[]],"c":{}}"#, " [ 1 , 2 ] ",
    ])
    func anyValueCanBeSkipped(text: String) throws {
        try read(text, skip)
    }

    @Test(arguments: [
        ("", "expected a value, found the end"),
        ("{", "unexpected end of the JSON text"),
        (#"{"a""#, "expected ':' after an object member's name"),
        (#"{"a":1,}"#, "expected a string"),
        (#"{"a":1 "b":2}"#, "expected ',' or '}' in an object"),
        ("[1 2]", "expected ',' or ']' in an array"),
        ("[1,]", "expected a value"),
        ("01", "unexpected bytes after the JSON value"),
        ("1.", "expected a digit after '.' in a number"),
        ("1e", "expected a digit in a number's exponent"),
        ("-", "expected a value"),
        ("tru", "expected a value"),
        ("nul", "expected a value"),
        (#""open"#, "a string without its closing quote"),
        ("\"tab\tinside\"", "a control character inside a string"),
        (#""\x""#, "an unknown escape in a string"),
        (#""\u12G4""#, "\\u must be followed by four hex digits"),
        (#""\u12"#, "\\u must be followed by four hex digits"),
        ("{} {}", "unexpected bytes after the JSON value"),
    ])
    func malformedTextFailsWithWhatWasWrong(text: String, message: String) {
        #expect(failure(text, skip)?.message == message)
    }

    @Test func aFailureSaysWhere() {
        #expect(failure(#"{"a": [1, 2, x]}"#, skip) == JSONReader.Failure(message: "expected a value", offset: 13))
    }

    @Test func nestingHasALimit() {
        let deep = String(repeating: "[", count: JSONReader.maximumDepth) + String(repeating: "]", count: JSONReader.maximumDepth)
        #expect(failure(deep, skip) == nil)
        let deeper = "[" + deep + "]"
        #expect(failure(deeper, skip)?.message == "nested deeper than \(JSONReader.maximumDepth) levels")
    }

    @Test func readingTheWrongKindFails() {
        #expect(failure("12") { reader throws(JSONReader.Failure) in _ = try reader.readString() }?.message == "expected a string")
        #expect(failure("[]") { reader throws(JSONReader.Failure) in try reader.readObject { _, _ in } }?.message == "expected an object")
        #expect(failure("{}") { reader throws(JSONReader.Failure) in try reader.readArray { _ in } }?.message == "expected an array")
    }
}
