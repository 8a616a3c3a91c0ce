import Testing

@testable import OrgBatch

@Suite("HTTPResponse: headers by name, from a list or from the lines as received")
struct HTTPResponseTests {
    /// Lines as libcurl hands them over: any case, white space around the value, a repeated
    /// name, and the blank line that ends the block.
    static let block = Array(
        "Content-Type: application/x-amz-json-1.1\r\nX-Amzn-RequestId:   req-1 \r\nRetry-After:\t2\r\nx-amzn-requestid: req-2\r\n\r\n".utf8)

    @Test func aReceivedBlockIsReadByNameWithoutCase() {
        let response = HTTPResponse(status: 200, headerBlock: Self.block, body: [])
        #expect(response.header("x-amzn-requestid") == "req-1")  // the first of a repeated name
        #expect(response.header("X-AMZN-REQUESTID") == "req-1")
        #expect(response.header("retry-after") == "2")
        #expect(response.header("content-type") == "application/x-amz-json-1.1")
        #expect(response.header("x-amzn-errortype") == nil)
        #expect(response.header("x-amzn") == nil)  // a prefix of a name is not the name
    }

    @Test func aReceivedBlockListsEveryHeaderLowerCasedInOrder() {
        let response = HTTPResponse(status: 200, headerBlock: Self.block, body: [])
        #expect(response.headers.map(\.name) == ["content-type", "x-amzn-requestid", "retry-after", "x-amzn-requestid"])
        #expect(response.headers.map(\.value) == ["application/x-amz-json-1.1", "req-1", "2", "req-2"])
    }

    @Test func aListAndTheSameBlockAnswerAlike() {
        let block = HTTPResponse(status: 200, headerBlock: Self.block, body: [])
        let list = HTTPResponse(status: 200, headers: block.headers.map { ($0.name.uppercased(), $0.value) })
        for name in ["Content-Type", "x-amzn-requestid", "Retry-After", "date"] {
            #expect(list.header(name) == block.header(name))
        }
        var changed = block
        changed.headers = [("x-amzn-requestid", "req-3")]
        #expect(changed.header("X-Amzn-RequestId") == "req-3" && changed.header("retry-after") == nil)
    }

    /// A folded (continuation) line keeps its leading white space in its name, so it names no
    /// header, as when libcurl's lines were parsed as they arrived.
    @Test func aFoldedLineNamesNoHeader() {
        let response = HTTPResponse(status: 200, headerBlock: Array("X-Amzn-RequestId: req-1\r\n\tfoo: bar\r\n".utf8), body: [])
        #expect(response.header("foo") == nil)
        #expect(response.header("x-amzn-requestid") == "req-1")
        #expect(response.headers.map(\.name) == ["x-amzn-requestid", "\tfoo"])
    }

    @Test func anEmptyBlockHasNoHeaders() {
        let response = HTTPResponse(status: 204, headerBlock: [], body: [])
        #expect(response.headers.isEmpty && response.header("date") == nil)
    }
}
