import Foundation
import Testing

@testable import OrgBatch

@Suite("JSONValue: compact JSON with ordered keys")
struct JSONValueTests {
    @Test(arguments: [
        (JSONValue.null, "null"),
        (.bool(true), "true"),
        (.bool(false), "false"),
        (.int(0), "0"),
        (.int(-42), "-42"),
        (.int(Int.max), "9223372036854775807"),
        (.string(""), #""""#),
        (.array([]), "[]"),
        (.object([]), "{}"),
        (.array([.int(1), .null, .string("a"), .array([.bool(true)])]), #"[1,null,"a",[true]]"#),
        (.object([("z", .int(1)), ("a", .int(2)), ("m", .object([("y", .null), ("b", .array([]))]))]),
         #"{"z":1,"a":2,"m":{"y":null,"b":[]}}"#),
        (.optional(nil), "null"),
        (.optional("x"), #""x""#),
    ])
    func text(of value: JSONValue, expected: String) {
        #expect(value.text == expected)
    }

    @Test(arguments: [
        ("plain", #""plain""#),
        ("say \"hi\"", #""say \"hi\"""#),
        (#"C:\path\n"#, #""C:\\path\\n""#),
        ("line1\nline2\r\n\tend", #""line1\nline2\r\n\tend""#),
        ("\u{0}", #""\u0000""#),
        ("\u{8}\u{C}", #""\u0008\u000c""#),  // no \b or \f shorthands
        ("\u{1B}[K", #""\u001b[K""#),
        ("\u{1F}", #""\u001f""#),
        ("\u{7F}", "\"\u{7F}\""),  // DEL is not a control character for JSON
        ("a/b", #""a/b""#),  // the solidus needs no escape
        ("José 日本 🎉", "\"José 日本 🎉\""),  // non-ASCII is written as UTF-8
        ("e\u{301}", "\"e\u{301}\""),  // combining marks are kept as they are
        ("\u{2028}", "\"\u{2028}\""),
    ])
    func stringEscaping(raw: String, expected: String) throws {
        let written = JSONValue.string(raw).text
        #expect(written == expected)
        // And a JSON parser reads back the same string.
        let parsed = try JSONSerialization.jsonObject(with: Data("[\(written)]".utf8)) as? [String]
        #expect(parsed?.first?.unicodeScalars.elementsEqual(raw.unicodeScalars) == true)
    }

    @Test func keysAreEscapedToo() {
        #expect(JSONValue.object([("a\"b\n", .string("v"))]).text == #"{"a\"b\n":"v"}"#)
    }

    @Test func keyOrderIsKeptAndMatters() {
        let za = JSONValue.object([("z", .int(1)), ("a", .int(2))])
        let az = JSONValue.object([("a", .int(2)), ("z", .int(1))])
        #expect(za.text == #"{"z":1,"a":2}"#)
        #expect(za != az)
        #expect(za == .object([("z", .int(1)), ("a", .int(2))]))
        #expect(JSONValue.int(1) != .string("1"))
        #expect(JSONValue.null != .object([]))
        #expect(JSONValue.array([.null]) != .array([]))
    }
}
