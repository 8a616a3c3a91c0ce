import Crypto
import Foundation
import Testing

@testable import SigV4

@Suite("SigV4 signer against AWS's published vectors")
struct SigV4SignerTests {
    @Test("aws-c-auth v4 suite: all 38 header-signing cases", arguments: try SigV4VectorCase.v4Suite())
    func v4Suite(_ vector: SigV4VectorCase) {
        check(vector)
    }

    @Test("classic aws4_testsuite: all 34 cases", arguments: try SigV4VectorCase.classicSuite())
    func classicSuite(_ vector: SigV4VectorCase) {
        check(vector)
    }

    @Test func suitesHaveEveryCase() throws {
        #expect(try SigV4VectorCase.v4Suite().count == 38)
        #expect(try SigV4VectorCase.classicSuite().count == 34)
    }

    private func check(_ vector: SigV4VectorCase) {
        let signer = SigV4Signer(
            credentials: vector.credentials, region: "us-east-1", service: "service", options: vector.options)
        let signed = signer.sign(vector.request, date: SigV4VectorCase.date)
        #expect(signed.canonicalRequest == vector.expectedCanonicalRequest)
        #expect(signed.stringToSign == vector.expectedStringToSign)
        #expect(signed.signature == vector.expectedSignature)
        if let authorization = vector.expectedAuthorization {
            #expect(signed.authorization == authorization)
        }
        let names = signed.headers.map(\.name)
        #expect(names.first == "X-Amz-Date")
        #expect(names.last == "Authorization")
        #expect(names.contains("X-Amz-Security-Token") == (vector.credentials.sessionToken != nil))
    }

    @Test("the date forms", arguments: [
        (0.0, "19700101T000000Z"),
        (1_440_938_160, "20150830T123600Z"),
        (951_782_400, "20000229T000000Z"),
        (4_102_444_799, "20991231T235959Z"),
        (1_795_996_800.75, "20261130T000000Z"),
        (253_402_300_800, "100000101T000000Z"),
    ])
    func amzDate(seconds: Double, expected: String) {
        let date = AmzDate(Date(timeIntervalSince1970: seconds))
        #expect(date.long == expected)
        #expect(date.short == String(expected.prefix(upTo: expected.firstIndex(of: "T")!)))
    }

    @Test func credentialsDescriptionHidesSecrets() {
        let creds = SigningCredentials(accessKeyID: "AKID", secretAccessKey: "topsecret", sessionToken: "tok123")
        #expect(!"\(creds)".contains("topsecret"))
        #expect(!"\(creds)".contains("tok123"))
        #expect("\(creds)".contains("AKID"))
    }

    @Test(
        "a path is left alone exactly when normalizing would not change it",
        arguments: [
            "/", "/a", "/a/", "/a/b", "/putAlternateContact", "/...", "/.a", "/a.", "/a/..b",
            "", "a", "//", "/a//b", "/.", "/./", "/..", "/../", "/a/.", "/a/./b", "/a/..", "/a/../b", "/a/b/",
        ])
    func pathNormalization(path: String) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let unchanged = path.hasPrefix("/") && !segments.dropLast().contains { $0.isEmpty || $0 == "." || $0 == ".." }
            && segments.last.map { $0 != "." && $0 != ".." } ?? true
        #expect(SigV4Signer.isNormalized(path) == unchanged)
        if SigV4Signer.isNormalized(path) { #expect(SigV4Signer.normalizedPath(path) == path) }
    }

    @Test func signingWithAKeptKeyMatchesDerivingIt() throws {
        let vector = try #require(try SigV4VectorCase.v4Suite().first)
        let signer = SigV4Signer(
            credentials: vector.credentials, region: "us-east-1", service: "service", options: vector.options)
        let day = AmzDate(SigV4VectorCase.date).short
        let kept = SigV4SigningKey(
            SigV4Signer.signingKey(secret: vector.credentials.secretAccessKey, date: day, region: "us-east-1", service: "service"))
        let first = signer.sign(vector.request, date: SigV4VectorCase.date, signingKey: kept)
        let second = signer.sign(vector.request, date: SigV4VectorCase.date, signingKey: kept)
        #expect(first.signature == vector.expectedSignature)
        #expect(second.signature == vector.expectedSignature)  // the kept key is not used up
    }

    @Test(arguments: [0, 1, 32, 63, 64, 65, 200])
    func aKeptKeyComputesHMACSHA256(keyLength: Int) {
        let key = SymmetricKey(data: (0..<keyLength).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        let kept = SigV4SigningKey(key)
        for length in [0, 1, 55, 56, 64, 119, 1000] {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 13) }
            #expect(
                Array(kept.authenticationCode(message)) == Array(HMAC<SHA256>.authenticationCode(for: message, using: key)),
                "key of \(keyLength) bytes, message of \(length)")
        }
    }

    @Test(arguments: [true, false])
    func manyHeadersAndAnEncodedPathFitTheCanonicalRequest(normalizePath: Bool) {
        // Every header name in the signed list, a path that encodes to three bytes a byte, a
        // session token and the content hash: the most the canonical request's size must hold.
        let names = ["A", "B", "C", "D", "E", "F", "G", "H", "Host"]
        let signer = SigV4Signer(
            credentials: SigningCredentials(accessKeyID: "AKID", secretAccessKey: "secret", sessionToken: "token"),
            region: "us-east-1", service: "service",
            options: SigV4Signer.Options(normalizePath: normalizePath, addContentSHA256Header: true))
        let request = SigV4Request(
            method: "GET", path: normalizePath ? "é" : "éé", query: [],
            headers: names.map { ($0, "") } + [("A", "again")], body: [])
        let signed = signer.sign(request, date: SigV4VectorCase.date)
        let lines = signed.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[1] == (normalizePath ? "/%C3%A9" : "%C3%A9%C3%A9"))
        #expect(lines.contains("a:,again"))
        #expect(
            lines[lines.count - 2]
                == "a;b;c;d;e;f;g;h;host;x-amz-content-sha256;x-amz-date;x-amz-security-token")
    }

    @Test func uriEncoding() {
        #expect(SigV4Signer.uriEncode("a b/c+d=é~", keepSlash: true) == "a%20b/c%2Bd%3D%C3%A9~")
        #expect(SigV4Signer.uriEncode("a/b", keepSlash: false) == "a%2Fb")
    }
}
