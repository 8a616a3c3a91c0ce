import Testing

@testable import OrgBatch

@Suite("JSONWriter: compact JSON into a buffer of its own")
struct JSONWriterTests {
    @Test func growsPastItsCapacityKeepingWhatWasWritten() {
        var out = JSONWriter(capacity: 1)
        out.raw("[")
        for index in 0..<500 {
            if index > 0 { out.raw(",") }
            out.string("item \(index) \"quoted\"")
            out.raw(",")
            out.int(-index)
        }
        out.raw("]")
        let expected = "[" + (0..<500).map { "\"item \($0) \\\"quoted\\\"\",\(-$0)" }.joined(separator: ",") + "]"
        #expect(out.text == expected)
        #expect(out.bytes == Array(expected.utf8))
    }

    @Test func escapesWhatJSONRequires() {
        var out = JSONWriter()
        out.stringObject([("k\n", "tab\there \\ \u{1} é")])
        #expect(out.text == #"{"k\n":"tab\there \\ \u0001 é"}"#)
    }

    @Test func digitsArePaddedToTheirWidth() {
        var out = JSONWriter(capacity: 4)
        out.digits(7, width: 3)
        out.raw(" ")
        out.digits(UInt.max, width: 1)
        #expect(out.text == "007 \(UInt.max)")
    }
}
