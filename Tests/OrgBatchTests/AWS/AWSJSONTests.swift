import Testing

@testable import OrgBatch

@Suite("AWS JSON request bodies")
struct AWSJSONTests {
    @Test func membersComeOutSortedByTheirBytesWhateverTheOrderGiven() {
        let sorted = [("AccountId", "1"), ("AlternateContactType", "SECURITY"), ("Name", "N \"Q\"")]
        let expected = #"{"AccountId":"1","AlternateContactType":"SECURITY","Name":"N \"Q\""}"#
        #expect(String(decoding: AWSJSON.encode(members: sorted), as: UTF8.self) == expected)
        #expect(String(decoding: AWSJSON.encode(members: sorted.reversed()), as: UTF8.self) == expected)
        #expect(String(decoding: AWSJSON.encode(Dictionary(uniqueKeysWithValues: sorted)), as: UTF8.self) == expected)
    }

    @Test func anEmptyObjectIsBraces() {
        #expect(AWSJSON.encode(members: []) == Array("{}".utf8))
    }
}
