import Crypto

import protocol Foundation.ContiguousBytes
import struct Foundation.Date

/// AWS Signature Version 4, header form.
///
/// Each stage is its own function, named after the step of
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
/// it implements. The signer is a value with no clock of its own: the caller passes the
/// signing time, so every retry attempt is signed afresh with a fresh date.
public struct SigV4Signer: Sendable {
    /// Switches that differ between services (and between the test suites' cases).
    public struct Options: Sendable, Equatable {
        /// Remove `.` and `..` segments and repeated slashes from the path before encoding it.
        /// Every service but S3 does this.
        public var normalizePath: Bool
        /// Add and sign `X-Amz-Content-SHA256` with the body's hash. Only S3 requires it.
        public var addContentSHA256Header: Bool
        /// Sign `X-Amz-Security-Token` (true, as the SDKs do), or add it after signing (false).
        public var signSessionToken: Bool

        public init(normalizePath: Bool = true, addContentSHA256Header: Bool = false, signSessionToken: Bool = true) {
            self.normalizePath = normalizePath
            self.addContentSHA256Header = addContentSHA256Header
            self.signSessionToken = signSessionToken
        }
    }

    public static let algorithm = "AWS4-HMAC-SHA256"

    public var credentials: SigningCredentials
    /// The signing region, for example `us-east-1`.
    public var region: String
    /// The signing name, for example `organizations`, `account` or `sts`.
    public var service: String
    public var options: Options

    public init(credentials: SigningCredentials, region: String, service: String, options: Options = Options()) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.options = options
    }

    /// Signs `request` as of `date`.
    /// - Parameter signingKey: the key for `date`'s day, when the caller keeps it (it changes
    ///   once a day; deriving it costs four HMACs). Computed when nil.
    /// - Returns: the headers to add to the request, with the intermediate stages.
    public func sign(_ request: SigV4Request, date: Date, signingKey: SigV4SigningKey? = nil) -> SigV4Signature {
        let amzDate = AmzDate(date)
        let payloadHash = Self.hexSHA256(request.body)

        var added: [(name: String, value: String)] = [("X-Amz-Date", amzDate.long)]
        if let token = credentials.sessionToken, options.signSessionToken {
            added.append(("X-Amz-Security-Token", token))
        }
        if options.addContentSHA256Header {
            added.append(("X-Amz-Content-SHA256", payloadHash))
        }

        let (canonical, signedHeaders) = canonicalRequest(request, extraHeaders: added, payloadHash: payloadHash)
        let scope = credentialScope(amzDate)
        let toSign = stringToSign(canonicalRequest: canonical, amzDate: amzDate, scope: scope)
        let key = signingKey
            ?? SigV4SigningKey(
                Self.signingKey(secret: credentials.secretAccessKey, date: amzDate.short, region: region, service: service))
        let signature = Self.hex(key.authenticationCode(toSign))
        let authorization = Self.authorization(
            accessKeyID: credentials.accessKeyID, scope: scope, signedHeaders: signedHeaders, signature: signature)

        if let token = credentials.sessionToken, !options.signSessionToken {
            added.append(("X-Amz-Security-Token", token))
        }
        added.append(("Authorization", authorization))
        return SigV4Signature(
            headers: added, canonicalRequestBytes: canonical, stringToSignBytes: toSign,
            signature: signature, authorization: authorization)
    }

    /// `AWS4-HMAC-SHA256 Credential=KEY/SCOPE, SignedHeaders=…, Signature=…`, written as
    /// bytes in one buffer.
    static func authorization(accessKeyID: String, scope: String, signedHeaders: String, signature: String) -> String {
        var out: [UInt8] = []
        // 57 bytes of fixed text, then the parts.
        out.reserveCapacity(
            57 + accessKeyID.utf8.count + scope.utf8.count + signedHeaders.utf8.count + signature.utf8.count)
        out.append(contentsOf: algorithm.utf8)
        out.append(contentsOf: " Credential=".utf8)
        out.append(contentsOf: accessKeyID.utf8)
        out.append(UInt8(ascii: "/"))
        out.append(contentsOf: scope.utf8)
        out.append(contentsOf: ", SignedHeaders=".utf8)
        out.append(contentsOf: signedHeaders.utf8)
        out.append(contentsOf: ", Signature=".utf8)
        out.append(contentsOf: signature.utf8)
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Step 1: canonical request

    /// `Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HashedPayload`,
    /// written straight into bytes (it is hashed, not kept).
    /// - Returns: the canonical request and the `SignedHeaders` list.
    func canonicalRequest(
        _ request: SigV4Request,
        extraHeaders: [(name: String, value: String)],
        payloadHash: String
    ) -> ([UInt8], signedHeaders: String) {
        var out: [UInt8] = []
        out.reserveCapacity(512 + request.headers.count * 32)
        out.append(contentsOf: request.method.utf8)
        out.append(Self.newline)
        let path = options.normalizePath ? Self.normalizedPath(request.path) : request.path
        Self.appendURIEncoded(path.isEmpty ? "/" : path, keepSlash: true, to: &out)
        out.append(Self.newline)
        if !request.query.isEmpty {
            out.append(contentsOf: Self.canonicalQuery(request.query).utf8)
        }
        out.append(Self.newline)
        let signedHeaders = Self.appendCanonicalHeaders(request.headers + extraHeaders, to: &out)
        out.append(Self.newline)
        out.append(contentsOf: signedHeaders.utf8)
        out.append(Self.newline)
        out.append(contentsOf: payloadHash.utf8)
        return (out, signedHeaders)
    }

    /// Writes one `name:value\n` line per header: names lower-cased and sorted; values trimmed,
    /// runs of white space squeezed to one space, repeated headers joined with `,` in the order
    /// received.
    /// - Returns: the `SignedHeaders` list, the names joined with `;`.
    static func appendCanonicalHeaders(_ headers: [(name: String, value: String)], to out: inout [UInt8]) -> String {
        // A request has a handful of headers: an insertion sort of their positions, by
        // lower-cased name, keeps repeated names in the order received and needs no dictionary
        // and no lower-cased copies.
        var order: [Int] = []
        order.reserveCapacity(headers.count)
        for index in headers.indices {
            var slot = order.count
            while slot > 0 && lowercasedPrecedes(headers[index].name, headers[order[slot - 1]].name) { slot -= 1 }
            order.insert(index, at: slot)
        }
        var signed: [UInt8] = []
        signed.reserveCapacity(headers.count * 16)
        for (position, index) in order.enumerated() {
            let name = headers[index].name
            let repeatsPrevious = position > 0 && lowercasedEqual(headers[order[position - 1]].name, name)
            if repeatsPrevious {
                out.append(UInt8(ascii: ","))
            } else {
                if position > 0 {
                    out.append(newline)
                    signed.append(UInt8(ascii: ";"))
                }
                for byte in name.utf8 {
                    let lower = asciiLower(byte)
                    out.append(lower)
                    signed.append(lower)
                }
                out.append(UInt8(ascii: ":"))
            }
            appendSqueezed(headers[index].value, to: &out)
        }
        if !order.isEmpty { out.append(newline) }
        return String(decoding: signed, as: UTF8.self)
    }

    private static func asciiLower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }

    /// Byte order of the ASCII-lower-cased names.
    static func lowercasedPrecedes(_ lhs: String, _ rhs: String) -> Bool {
        var right = rhs.utf8.makeIterator()
        for byte in lhs.utf8 {
            guard let other = right.next() else { return false }
            let (a, b) = (asciiLower(byte), asciiLower(other))
            if a != b { return a < b }
        }
        return right.next() != nil
    }

    static func lowercasedEqual(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.count == rhs.utf8.count && zip(lhs.utf8, rhs.utf8).allSatisfy { asciiLower($0) == asciiLower($1) }
    }

    /// A header value trimmed, with runs of white space squeezed to one space.
    static func appendSqueezed(_ value: String, to out: inout [UInt8]) {
        var pendingSpace = false
        var started = false
        for byte in value.utf8 {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                pendingSpace = started
                continue
            }
            if pendingSpace { out.append(UInt8(ascii: " ")) }
            pendingSpace = false
            started = true
            out.append(byte)
        }
    }

    /// Each name and value encoded, then sorted by name and then by value, in byte order.
    static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        query
            .map { (uriEncode($0.name, keepSlash: false), uriEncode($0.value, keepSlash: false)) }
            .sorted { lhs, rhs in
                lhs.0 == rhs.0 ? lhs.1.utf8.lexicographicallyPrecedes(rhs.1.utf8)
                    : lhs.0.utf8.lexicographicallyPrecedes(rhs.0.utf8)
            }
            .map { $0.0 + "=" + $0.1 }
            .joined(separator: "&")
    }

    /// Removes `.` and `..` segments and empty segments (repeated slashes), keeping a trailing slash.
    static func normalizedPath(_ path: String) -> String {
        if isNormalized(path) { return path }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        var result = "/" + segments.joined(separator: "/")
        if path.hasSuffix("/"), !segments.isEmpty { result += "/" }
        return result
    }

    /// Whether normalizing would leave `path` as it is: it starts with `/` and has no empty,
    /// `.` or `..` segment (a trailing slash is kept, so it does not count).
    static func isNormalized(_ path: String) -> Bool {
        var segmentLength = 0
        var segmentDots = 0
        var first = true
        for byte in path.utf8 {
            if first {
                guard byte == UInt8(ascii: "/") else { return false }
                first = false
                continue
            }
            if byte == UInt8(ascii: "/") {
                if segmentLength == 0 || segmentDots == segmentLength && segmentLength <= 2 { return false }
                segmentLength = 0
                segmentDots = 0
            } else {
                segmentLength += 1
                if byte == UInt8(ascii: ".") { segmentDots += 1 }
            }
        }
        if first { return false }
        return !(segmentLength > 0 && segmentDots == segmentLength && segmentLength <= 2)
    }

    /// RFC 3986 encoding as SigV4 defines it: `A-Z a-z 0-9 - . _ ~` stay as they are, every
    /// other byte of the UTF-8 form becomes `%XX` with upper-case hex; `/` stays in paths.
    public static func uriEncode(_ string: String, keepSlash: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(string.utf8.count)
        appendURIEncoded(string, keepSlash: keepSlash, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func appendURIEncoded(_ string: String, keepSlash: Bool, to out: inout [UInt8]) {
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: "/") where keepSlash:
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(upperHexDigits[Int(byte >> 4)])
                out.append(upperHexDigits[Int(byte & 0x0F)])
            }
        }
    }

    // MARK: Step 2: string to sign

    func credentialScope(_ amzDate: AmzDate) -> String {
        "\(amzDate.short)/\(region)/\(service)/aws4_request"
    }

    /// `AWS4-HMAC-SHA256 \n RequestDateTime \n CredentialScope \n HashedCanonicalRequest`.
    func stringToSign(canonicalRequest: [UInt8], amzDate: AmzDate, scope: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(160)
        out.append(contentsOf: Self.algorithm.utf8)
        out.append(Self.newline)
        out.append(contentsOf: amzDate.long.utf8)
        out.append(Self.newline)
        out.append(contentsOf: scope.utf8)
        out.append(Self.newline)
        Self.appendHex(Self.sha256(canonicalRequest), to: &out)
        return out
    }

    // MARK: Step 3: signing key

    /// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
    public static func signingKey(secret: String, date: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array(("AWS4" + secret).utf8))
        for part in [date, region, service, "aws4_request"] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key))
        }
        return key
    }

    // MARK: Helpers

    static func hexSHA256(_ bytes: [UInt8]) -> String {
        hex(sha256(bytes))
    }

    static func sha256(_ bytes: [UInt8]) -> SHA256.Digest {
        var hasher = SHA256()
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return hasher.finalize()
    }

    static func hex<Bytes: ContiguousBytes>(_ bytes: Bytes) -> String {
        bytes.withUnsafeBytes { raw in
            String(unsafeUninitializedCapacity: raw.count * 2) { out in
                writeHex(raw, into: out)
                return raw.count * 2
            }
        }
    }

    static func appendHex<Bytes: ContiguousBytes>(_ bytes: Bytes, to out: inout [UInt8]) {
        bytes.withUnsafeBytes { raw in
            let start = out.count
            out.append(contentsOf: repeatElement(0, count: raw.count * 2))
            out.withUnsafeMutableBufferPointer { buffer in
                writeHex(raw, into: UnsafeMutableBufferPointer(rebasing: buffer[start...]))
            }
        }
    }

    private static func writeHex(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<UInt8>) {
        let digits: StaticString = "0123456789abcdef"
        digits.withUTF8Buffer { digits in
            for (index, byte) in bytes.enumerated() {
                out[2 * index] = digits[Int(byte >> 4)]
                out[2 * index + 1] = digits[Int(byte & 0x0F)]
            }
        }
    }

    private static let newline = UInt8(ascii: "\n")
    private static let upperHexDigits = Array("0123456789ABCDEF".utf8)
}
