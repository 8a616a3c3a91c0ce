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
    ///
    /// Every request is signed, so the stages are written straight into the buffers they end
    /// in: the scope, hashes and signed header list are never Strings of their own.
    public func sign(_ request: SigV4Request, date: Date, signingKey: SigV4SigningKey? = nil) -> SigV4Signature {
        let amzDate = AmzDate(date)
        let payloadDigest = Self.sha256(request.body)

        var added: [(name: String, value: String)] = []
        added.reserveCapacity(4)
        added.append(("X-Amz-Date", amzDate.long))
        if let token = credentials.sessionToken, options.signSessionToken {
            added.append(("X-Amz-Security-Token", token))
        }
        if options.addContentSHA256Header {
            added.append(("X-Amz-Content-SHA256", Self.hex(payloadDigest)))
        }

        let (canonical, signedHeaders) = canonicalRequest(request, extraHeaders: added, payloadDigest: payloadDigest)
        let toSign = stringToSign(canonicalRequest: canonical, amzDate: amzDate)
        let key = signingKey
            ?? SigV4SigningKey(
                Self.signingKey(secret: credentials.secretAccessKey, date: amzDate.short, region: region, service: service))
        let authorization = authorization(
            amzDate: amzDate, signedHeaders: canonical[signedHeaders], signature: key.authenticationCode(toSign))

        if let token = credentials.sessionToken, !options.signSessionToken {
            added.append(("X-Amz-Security-Token", token))
        }
        added.append(("Authorization", authorization))
        return SigV4Signature(
            headers: added, canonicalRequestBytes: canonical, stringToSignBytes: toSign, authorization: authorization)
    }

    /// `AWS4-HMAC-SHA256 Credential=KEY/SCOPE, SignedHeaders=…, Signature=…`, written into
    /// the string's own storage.
    func authorization(amzDate: AmzDate, signedHeaders: ArraySlice<UInt8>, signature: SHA256.Digest) -> String {
        let (credential, signedLabel, signatureLabel): (StaticString, StaticString, StaticString) =
            (" Credential=", ", SignedHeaders=", ", Signature=")
        let count = Self.algorithm.utf8.count + credential.utf8CodeUnitCount + credentials.accessKeyID.utf8.count + 1
            + credentialScopeCount(amzDate) + signedLabel.utf8CodeUnitCount + signedHeaders.count
            + signatureLabel.utf8CodeUnitCount + 2 * SHA256.byteCount
        return ByteWriter.string(capacity: count) { out in
            out.write(Self.algorithm)
            out.write(credential)
            out.write(credentials.accessKeyID)
            out.write(UInt8(ascii: "/"))
            writeCredentialScope(amzDate, to: &out)
            out.write(signedLabel)
            out.write(signedHeaders)
            out.write(signatureLabel)
            signature.withUnsafeBytes { out.writeHex($0) }
        }
    }

    // MARK: Step 1: canonical request

    /// `Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HashedPayload`,
    /// written straight into bytes (it is hashed, not kept).
    /// - Returns: the canonical request and where in it the `SignedHeaders` list is.
    func canonicalRequest(
        _ request: SigV4Request,
        extraHeaders: [(name: String, value: String)],
        payloadDigest: SHA256.Digest
    ) -> ([UInt8], signedHeaders: Range<Int>) {
        let path = options.normalizePath ? Self.normalizedPath(request.path) : request.path
        let query = request.query.isEmpty ? "" : Self.canonicalQuery(request.query)
        // At most: every path byte encoded to three; each header's name twice, its value and
        // three separators (`:` and the newline on its line, `;` in the signed list); the hash,
        // five newlines, and three bytes to spare.
        let measure = { (total: Int, header: (name: String, value: String)) in
            total + 2 * header.name.utf8.count + header.value.utf8.count + 3
        }
        let headerBytes = extraHeaders.reduce(request.headers.reduce(0, measure), measure)
        let capacity = request.method.utf8.count + 3 * max(path.utf8.count, 1) + query.utf8.count + headerBytes
            + 2 * SHA256.byteCount + 8
        var signedHeaders = 0..<0
        let bytes = ByteWriter.array(capacity: capacity) { out in
            out.write(request.method)
            out.write(Self.newline)
            Self.writeURIEncoded(path.isEmpty ? "/" : path, keepSlash: true, to: &out)
            out.write(Self.newline)
            out.write(query)
            out.write(Self.newline)
            signedHeaders = Self.writeCanonicalHeaders(request.headers, extraHeaders, to: &out)
            out.write(Self.newline)
            payloadDigest.withUnsafeBytes { out.writeHex($0) }
        }
        return (bytes, signedHeaders)
    }

    /// Writes one `name:value\n` line per header (of `headers`, then `extra`): names
    /// lower-cased and sorted; values trimmed, runs of white space squeezed to one space,
    /// repeated headers joined with `,` in the order received. Then, after the blank line, the
    /// `SignedHeaders` list: the names joined with `;`.
    /// - Returns: where the `SignedHeaders` list is.
    static func writeCanonicalHeaders(
        _ headers: [(name: String, value: String)], _ extra: [(name: String, value: String)] = [],
        to out: inout ByteWriter
    ) -> Range<Int> {
        let count = headers.count + extra.count
        // Names and values are lent in place, not returned: a returned String is a retain and
        // a release, and the sort below looks at each name several times.
        func withName<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
            index < headers.count
                ? headers[index].name.withUTF8Bytes(body) : extra[index - headers.count].name.withUTF8Bytes(body)
        }
        func withValue<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
            index < headers.count
                ? headers[index].value.withUTF8Bytes(body) : extra[index - headers.count].value.withUTF8Bytes(body)
        }
        func order(_ lhs: Int, _ rhs: Int) -> Int {
            withName(lhs) { left in withName(rhs) { right in ASCIICase.order(left, right) } }
        }
        // A request has a handful of headers: an insertion sort of their positions, by
        // lower-cased name, keeps repeated names in the order received and needs no dictionary
        // and no lower-cased copies.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * count + 1) { scratch in
            // The sorted positions, then, for each, whether it repeats the name before it.
            let (sorted, repeats) = (scratch.baseAddress!, scratch.baseAddress! + count)
            for index in 0..<count {
                var slot = index
                while slot > 0 && order(index, sorted[slot - 1]) < 0 {
                    sorted[slot] = sorted[slot - 1]
                    slot -= 1
                }
                sorted[slot] = index
            }
            for position in 0..<count {
                repeats[position] = position > 0 && order(sorted[position - 1], sorted[position]) == 0 ? 1 : 0
            }
            for position in 0..<count {
                if repeats[position] == 1 {
                    out.write(UInt8(ascii: ","))
                } else {
                    if position > 0 { out.write(newline) }
                    withName(sorted[position]) { writeLowercased($0, to: &out) }
                    out.write(UInt8(ascii: ":"))
                }
                withValue(sorted[position]) { writeSqueezed($0, to: &out) }
            }
            if count > 0 { out.write(newline) }
            out.write(newline)
            let start = out.count
            for position in 0..<count where repeats[position] == 0 {
                if position > 0 { out.write(UInt8(ascii: ";")) }
                withName(sorted[position]) { writeLowercased($0, to: &out) }
            }
            return start..<out.count
        }
    }

    private static func writeLowercased(_ name: UnsafeBufferPointer<UInt8>, to out: inout ByteWriter) {
        for byte in name { out.write(ASCIICase.lower(byte)) }
    }

    /// A header value trimmed, with runs of white space squeezed to one space.
    static func writeSqueezed(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout ByteWriter) {
        var pendingSpace = false
        var started = false
        for byte in bytes {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                pendingSpace = started
                continue
            }
            if pendingSpace { out.write(UInt8(ascii: " ")) }
            pendingSpace = false
            started = true
            out.write(byte)
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
        path.withUTF8Bytes(isNormalized)
    }

    /// The same, on the path's bytes (every request's path is checked; read in place, not
    /// through `String.UTF8View`'s iterator).
    static func isNormalized(_ path: UnsafeBufferPointer<UInt8>) -> Bool {
        var segmentLength = 0
        var segmentDots = 0
        var first = true
        for byte in path {
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
        ByteWriter.string(capacity: 3 * string.utf8.count) { writeURIEncoded(string, keepSlash: keepSlash, to: &$0) }
    }

    static func writeURIEncoded(_ string: String, keepSlash: Bool, to out: inout ByteWriter) {
        string.withUTF8Bytes { bytes in
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                    UInt8(ascii: "_"), UInt8(ascii: "~"):
                    out.write(byte)
                case UInt8(ascii: "/") where keepSlash:
                    out.write(byte)
                default:
                    out.write(UInt8(ascii: "%"))
                    out.write(upperHexDigits[Int(byte >> 4)])
                    out.write(upperHexDigits[Int(byte & 0x0F)])
                }
            }
        }
    }

    // MARK: Step 2: string to sign

    /// `AWS4-HMAC-SHA256 \n RequestDateTime \n CredentialScope \n HashedCanonicalRequest`, where the
    /// scope is `YYYYMMDD/region/service/aws4_request`.
    func stringToSign(canonicalRequest: [UInt8], amzDate: AmzDate) -> [UInt8] {
        let capacity = Self.algorithm.utf8.count + amzDate.long.utf8.count + credentialScopeCount(amzDate)
            + 2 * SHA256.byteCount + 3
        return ByteWriter.array(capacity: capacity) { out in
            out.write(Self.algorithm)
            out.write(Self.newline)
            out.write(amzDate.long)
            out.write(Self.newline)
            writeCredentialScope(amzDate, to: &out)
            out.write(Self.newline)
            Self.sha256(canonicalRequest).withUnsafeBytes { out.writeHex($0) }
        }
    }

    private static let scopeTerminator: StaticString = "/aws4_request"

    /// `YYYYMMDD/region/service/aws4_request`, as the string to sign and `Authorization` carry it.
    private func writeCredentialScope(_ amzDate: AmzDate, to out: inout ByteWriter) {
        out.write(amzDate.short)
        out.write(UInt8(ascii: "/"))
        out.write(region)
        out.write(UInt8(ascii: "/"))
        out.write(service)
        out.write(Self.scopeTerminator)
    }

    private func credentialScopeCount(_ amzDate: AmzDate) -> Int {
        amzDate.short.utf8.count + region.utf8.count + service.utf8.count + 2 + Self.scopeTerminator.utf8CodeUnitCount
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

    static func sha256(_ bytes: [UInt8]) -> SHA256.Digest {
        var hasher = SHA256()
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return hasher.finalize()
    }

    static func hex<Bytes: ContiguousBytes>(_ bytes: Bytes) -> String {
        bytes.withUnsafeBytes { raw in ByteWriter.string(capacity: 2 * raw.count) { $0.writeHex(raw) } }
    }

    private static let newline = UInt8(ascii: "\n")
    private static let upperHexDigits = Array("0123456789ABCDEF".utf8)
}
