import CCurl
import Foundation
import OrgBatch
import Testing

@testable import OrgBatchCurl

#if canImport(Glibc)
    import Glibc
#endif

@Suite("libcurl transport against a local HTTP server")
struct CurlTransportTests {
    @Test func roundTripOfMethodHeadersAndBody() throws {
        let server = try TestHTTPServer { request in
            .respond(status: 201, headers: ["X-Amzn-RequestId": "abc", "Content-Type": "application/json"], body: Array("{\"ok\":true}".utf8))
        }
        let transport = CurlTransport()
        let response = try transport.send(
            HTTPRequest(
                method: "POST", url: server.url + "/putAlternateContact",
                headers: [("Host", "127.0.0.1:\(server.port)"), ("Content-Type", "application/json"), ("X-Custom", "v")],
                body: Array("{\"a\":1}".utf8)))
        #expect(response.status == 201)
        #expect(response.header("X-AMZN-REQUESTID") == "abc")
        #expect(response.headers.allSatisfy { $0.name == $0.name.lowercased() })
        #expect(String(decoding: response.body, as: UTF8.self) == "{\"ok\":true}")
        let seen = try #require(server.requests.first)
        #expect(seen.method == "POST")
        #expect(seen.path == "/putAlternateContact")
        #expect(seen.headers["x-custom"] == "v")
        #expect(seen.headers["content-type"] == "application/json")
        #expect(seen.body == Array("{\"a\":1}".utf8))
    }

    @Test func oneConnectionServesManyRequests() throws {
        let server = try TestHTTPServer { _ in .respond(status: 200, headers: [:], body: []) }
        let transport = CurlTransport()
        for method in ["POST", "GET", "POST", "PUT"] {
            let response = try transport.send(HTTPRequest(method: method, url: server.url + "/", body: method == "GET" ? [] : [1]))
            #expect(response.status == 200)
        }
        #expect(server.requests.map(\.method) == ["POST", "GET", "POST", "PUT"])
        #expect(server.connections == 1)
        #expect(transport.connectionsOpened == 1)
    }

    @Test func largeBodiesGoWithoutExpectContinue() throws {
        let server = try TestHTTPServer { request in .respond(status: 200, headers: [:], body: request.body.reversed()) }
        let body = (0..<200_000).map { UInt8($0 % 251) }
        let response = try CurlTransport().send(HTTPRequest(method: "POST", url: server.url + "/", body: body))
        #expect(response.body == body.reversed())
        #expect(server.requests.first?.headers["expect"] == nil)
    }

    @Test func noDefaultAcceptHeaderButARequestsOwnIsKept() throws {
        let server = try TestHTTPServer { _ in .respond(status: 200, headers: [:], body: []) }
        let transport = CurlTransport()
        _ = try transport.send(HTTPRequest(method: "POST", url: server.url + "/", body: [1]))
        _ = try transport.send(HTTPRequest(method: "GET", url: server.url + "/", headers: [("Accept", "application/json")]))
        #expect(server.requests.count == 2)
        #expect(server.requests.first?.headers["accept"] == nil)
        #expect(server.requests.last?.headers["accept"] == "application/json")
    }

    @Test func manyAndLongHeadersThenFewStillGoWhole() throws {
        let server = try TestHTTPServer { _ in .respond(status: 200, headers: [:], body: []) }
        let transport = CurlTransport()
        // More lines and more bytes than the handle's first header buffers hold.
        let many = (0..<40).map { (name: "X-Header-\($0)", value: String(repeating: "v", count: 100) + "\($0)") }
        _ = try transport.send(HTTPRequest(method: "POST", url: server.url + "/", headers: many, body: [1]))
        _ = try transport.send(HTTPRequest(method: "POST", url: server.url + "/", headers: [("X-One", "1")], body: [1]))
        #expect(server.requests.count == 2)
        let first = try #require(server.requests.first)
        for (name, value) in many { #expect(first.headers[name.lowercased()] == value) }
        let second = try #require(server.requests.last)
        #expect(second.headers["x-one"] == "1")
        #expect(second.headers["x-header-0"] == nil)
    }

    @Test func aLargeAnswerIsNotKeptAfterwards() throws {
        let big = Array(repeating: UInt8(ascii: "a"), count: 200_000)
        let server = try TestHTTPServer { request in
            .respond(status: 200, headers: [:], body: request.path == "/big" ? big : Array("{}".utf8))
        }
        let transport = CurlTransport()
        let small = try transport.send(HTTPRequest(method: "GET", url: server.url + "/small"))
        let kept = transport.retainedBodyBytes
        #expect(kept >= small.body.count && kept <= CurlEasyHandle.keptBodyCapacity)
        let large = try transport.send(HTTPRequest(method: "GET", url: server.url + "/big"))
        #expect(large.body == big)  // the answer has it all
        #expect(transport.retainedBodyBytes <= CurlEasyHandle.keptBodyCapacity)  // the handle does not keep it
        let again = try transport.send(HTTPRequest(method: "GET", url: server.url + "/small"))
        #expect(String(decoding: again.body, as: UTF8.self) == "{}")
    }

    @Test func refusedConnection() throws {
        let server = try TestHTTPServer { _ in .closeWithoutReply }
        let url = server.url
        server.stop()
        #expect {
            _ = try CurlTransport().send(HTTPRequest(method: "POST", url: url + "/"))
        } throws: { error in
            let error = error as! TransportError
            return error.kind == .connect && !error.requestMayHaveReachedServer && error.isRetryable
        }
    }

    @Test func emptyReply() throws {
        let server = try TestHTTPServer { _ in .closeWithoutReply }
        #expect {
            _ = try CurlTransport().send(HTTPRequest(method: "POST", url: server.url + "/", body: [1]))
        } throws: { error in
            let error = error as! TransportError
            return error.kind == .emptyReply && error.requestMayHaveReachedServer && error.code == "transport.emptyReply"
        }
    }

    @Test func totalTimeout() throws {
        let server = try TestHTTPServer { _ in .delay(seconds: 2, then: 200) }
        #expect {
            _ = try CurlTransport().send(
                HTTPRequest(method: "POST", url: server.url + "/", timeouts: HTTPTimeouts(connect: 1, total: 0.2)))
        } throws: { ($0 as? TransportError)?.kind == .timeout }
    }

    @Test func tlsToAPlainServerFailsAsTLS() throws {
        let server = try TestHTTPServer(greeting: Array("HTTP/1.1 400 Bad Request\r\n\r\n".utf8)) { _ in .closeWithoutReply }
        #expect {
            _ = try CurlTransport().send(HTTPRequest(method: "POST", url: "https://127.0.0.1:\(server.port)/"))
        } throws: { ($0 as? TransportError)?.kind == .tls }
    }

    @Test func badURLIsNotRetryable() {
        #expect {
            _ = try CurlTransport().send(HTTPRequest(method: "POST", url: "gopher://127.0.0.1/"))
        } throws: { error in
            let error = error as! TransportError
            return error.kind == .invalidRequest && !error.isRetryable
        }
    }

    @Test("curl codes map to kinds", arguments: [
        (CURLE_COULDNT_RESOLVE_HOST, TransportError.Kind.resolve),
        (CURLE_COULDNT_CONNECT, .connect),
        (CURLE_OPERATION_TIMEDOUT, .timeout),
        (CURLE_SSL_CONNECT_ERROR, .tls),
        (CURLE_PEER_FAILED_VERIFICATION, .certificate),
        (CURLE_SSL_CACERT_BADFILE, .certificate),
        (CURLE_SEND_ERROR, .send),
        (CURLE_RECV_ERROR, .receive),
        (CURLE_GOT_NOTHING, .emptyReply),
        (CURLE_URL_MALFORMAT, .invalidRequest),
        (CURLE_OUT_OF_MEMORY, .other),
    ])
    func mapping(code: CURLcode, kind: TransportError.Kind) {
        #expect(CurlErrorMapping.kind(of: code) == kind)
    }

    /// A proxy that refuses every tunnel, recording what it was asked for.
    static func refusingProxy() throws -> TestHTTPServer {
        try TestHTTPServer { _ in .respond(status: 403, headers: [:], body: []) }
    }

    @Test func anHTTPSEndpointGoesThroughTheEnvironmentsProxy() throws {
        let proxy = try Self.refusingProxy()
        let transport = CurlTransport(proxies: ProxySettings(environment: ["HTTPS_PROXY": proxy.url]))
        #expect(throws: TransportError.self) {
            _ = try transport.send(
                HTTPRequest(method: "POST", url: "https://organizations.us-east-1.amazonaws.com/", timeouts: HTTPTimeouts(connect: 2, total: 5)))
        }
        let asked = try #require(proxy.requests.first)
        #expect(asked.method == "CONNECT")
        #expect(asked.path == "organizations.us-east-1.amazonaws.com:443")
    }

    @Test func noProxyHostsGoDirect() throws {
        let proxy = try Self.refusingProxy()
        // 192.0.2.1 (TEST-NET-1) answers nobody: going direct, the connection times out.
        let transport = CurlTransport(proxies: ProxySettings(environment: ["https_proxy": proxy.url, "no_proxy": "192.0.2.1"]))
        #expect {
            _ = try transport.send(HTTPRequest(method: "POST", url: "https://192.0.2.1/", timeouts: HTTPTimeouts(connect: 0.2, total: 0.5)))
        } throws: { [TransportError.Kind.timeout, .connect].contains(($0 as? TransportError)?.kind) }
        #expect(proxy.requests.isEmpty)
        #expect(proxy.connections == 0)
    }

    @Test func loopbackNeverGoesThroughAProxy() throws {
        let proxy = try Self.refusingProxy()
        let server = try TestHTTPServer { _ in .respond(status: 200, headers: [:], body: Array("direct".utf8)) }
        let transport = CurlTransport(proxies: ProxySettings(environment: ["http_proxy": proxy.url, "all_proxy": proxy.url]))
        let response = try transport.send(HTTPRequest(method: "GET", url: server.url + "/"))
        #expect(response.status == 200)
        #expect(proxy.connections == 0)
        // And a later request to an https endpoint still takes the proxy.
        _ = try? transport.send(
            HTTPRequest(method: "POST", url: "https://sts.amazonaws.com/", timeouts: HTTPTimeouts(connect: 2, total: 5)))
        #expect(proxy.requests.first?.path == "sts.amazonaws.com:443")
    }

    @Test func loopbackDetection() {
        #expect(CurlEasyHandle.isLocalURL("http://127.0.0.1:1/"))
        #expect(CurlEasyHandle.isLocalURL("http://[::1]:1/"))
        #expect(CurlEasyHandle.isLocalURL("http://169.254.169.254/latest/api/token"))
        #expect(CurlEasyHandle.isLocalURL("http://[fd00:ec2::23]/v1/credentials"))
        #expect(!CurlEasyHandle.isLocalURL("https://organizations.us-east-1.amazonaws.com/"))
    }

    /// The handle keeps the last origin it judged; the next request's origin must match it
    /// byte for byte to reuse the answer.
    @Test(arguments: [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080", true),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8081", false),
        ("http://127.0.0.1:8080", "http://127.0.0.1:808", false),
        ("http://127.0.0.1:8080", "https://127.0.0.1:80", false),
        ("", "", true),
        ("", "h", false),
    ])
    func originComparedByteForByte(kept: String, origin: String, same: Bool) {
        let bytes = Array(origin.utf8)
        #expect(bytes.withUnsafeBufferPointer { CurlEasyHandle.sameBytes(Array(kept.utf8), $0) } == same)
    }
}
