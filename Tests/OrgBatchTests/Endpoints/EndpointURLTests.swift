import Testing

@testable import OrgBatch

@Suite("Endpoint URLs: parsing and the loopback-only http rule")
struct EndpointURLTests {
    @Test("accepted", arguments: [
        ("https://organizations.us-east-1.amazonaws.com", "organizations.us-east-1.amazonaws.com", nil as Int?, "", "organizations.us-east-1.amazonaws.com"),
        ("https://example.com:8443/base/", "example.com", 8443, "/base", "example.com:8443"),
        ("http://127.0.0.1:5000", "127.0.0.1", 5000, "", "127.0.0.1:5000"),
        ("http://127.1.2.3", "127.1.2.3", nil, "", "127.1.2.3"),
        ("http://localhost:4566", "localhost", 4566, "", "localhost:4566"),
        ("http://[::1]:9000", "::1", 9000, "", "[::1]:9000"),
        ("https://h:443", "h", 443, "", "h"),
    ])
    func accepted(text: String, host: String, port: Int?, basePath: String, hostHeader: String) throws {
        let url = try EndpointURL(validating: text)
        #expect(url.host == host)
        #expect(url.port == port)
        #expect(url.basePath == basePath)
        #expect(url.hostHeader == hostHeader)
    }

    @Test("plain http beyond loopback is refused", arguments: [
        "http://example.com", "http://10.0.0.1:80", "http://128.0.0.1", "http://127.0.0.1.example.com",
        "http://localhost.example.com", "http://[::2]:80",
    ])
    func insecure(text: String) {
        #expect {
            _ = try EndpointURL(validating: text)
        } throws: { error in
            let error = error as? ConfigError
            return error?.code == .insecureEndpoint && error?.message.contains("plain http") == true
        }
    }

    @Test("malformed", arguments: ["example.com", "ftp://x", "https://", "https://user@host", "https://h:99999", "https://h:x"])
    func malformed(text: String) throws {
        #expect {
            _ = try EndpointURL(validating: text)
        } throws: { ($0 as? ConfigError)?.code == .invalidEndpoint }
    }

    @Test func urlForAPath() throws {
        let url = try EndpointURL(validating: "http://127.0.0.1:5000/prefix")
        #expect(url.url(path: "/putAlternateContact") == "http://127.0.0.1:5000/prefix/putAlternateContact")
    }
}

