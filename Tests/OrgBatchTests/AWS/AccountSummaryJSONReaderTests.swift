import Foundation
import Testing

@testable import OrgBatch

@Suite("A page of account summaries, read without JSONDecoder")
struct AccountSummaryJSONReaderTests {
    private func response(_ text: String) -> AWSResponse {
        AWSResponse(http: HTTPResponse(status: 200, body: Array(text.utf8)), requestID: nil, attempts: 1, throttles: 0)
    }

    private func page(_ text: String) throws -> ListAccountSummariesResponse {
        try AWSJSON.decode(ListAccountSummariesResponse.self, from: response(text), service: .organizations, operation: "ListAccounts")
    }

    /// What `JSONDecoder` made of the same text before this reader: the two must agree.
    private struct DecodedPage: Decodable {
        var accounts: [AccountSummary]?
        var nextToken: String?
    }

    private func decoded(_ text: String) throws -> DecodedPage {
        try AWSJSON.decode(DecodedPage.self, from: response(text), service: .organizations, operation: "ListAccounts")
    }

    @Test(arguments: [
        #"""
        {"Accounts":[{"Arn":"arn:aws:organizations::111111111111:account/o-exampleorgid/111111111111",
          "Email":"bill@example.com","Id":"111111111111","JoinedMethod":"INVITED","JoinedTimestamp":1.481830215E9,
          "Name":"Production Account","Status":"ACTIVE","State":"ACTIVE"},
         {"Id":"222222222222","Name":"Nested \"quote\" \u00e9","Tags":[{"Key":"k","Value":null}],"Status":"SUSPENDED",
          "State":null},
         {"Id":"333333333333","State":"PENDING_CLOSURE"}],"NextToken":"AAAA/BBBB+=="}
        """#,
        #"{"Accounts":[],"NextToken":null}"#,
        #"{"Accounts":null}"#,
        #"{"NextToken":"t"}"#,
        "{}",
        "",
    ])
    func agreesWithJSONDecoder(text: String) throws {
        let read = try page(text)
        let reference = try decoded(text)
        #expect(read.accounts == reference.accounts)
        #expect(read.nextToken == reference.nextToken)
    }

    @Test func keepsIdsStatesAndTheToken() throws {
        let read = try page(
            #"{"Accounts":[{"Id":"1","State":"ACTIVE"},{"Status":"SUSPENDED","Id":"2"}],"NextToken":"next"}"#)
        #expect(read.items.map(\.id) == ["1", "2"])
        #expect(read.items.map(\.effectiveState) == ["ACTIVE", "SUSPENDED"])
        #expect(read.nextToken == "next")
    }

    @Test(arguments: [
        (#"{"Accounts":[{"State":"ACTIVE"}]}"#, "an account without its Id"),
        (#"{"Accounts":[{"Id":111111111111}]}"#, "expected a string"),
        (#"{"Accounts":{"Id":"1"}}"#, "expected an array"),
        (#"{"Accounts":[{"Id":"1"}]"#, "unexpected end of the JSON text"),
        (#"{"Accounts":[]} trailing"#, "unexpected bytes after the JSON value"),
        ("<html>", "expected an object"),
    ])
    func aMalformedPageIsAMalformedResponse(text: String, message: String) {
        #expect {
            try page(text)
        } throws: { error in
            guard let error = error as? AWSError else { return false }
            return error.code == "orgbatch.malformed-response" && error.message.contains(message)
                && error.message.contains("ListAccountSummariesResponse")
        }
    }
}
