import Foundation
import SigV4

/// One case of an AWS SigV4 test suite, read from the files copied under `Vectors/`.
struct SigV4VectorCase: CustomStringConvertible, Sendable {
    static let accessKeyID = "AKIDEXAMPLE"
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let date = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z
    /// The token of the `post-sts-header-*` cases (the classic suite has no context file).
    static let stsToken =
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="

    var name: String
    var request: SigV4Request
    var credentials: SigningCredentials
    var options: SigV4Signer.Options
    var expectedCanonicalRequest: String
    var expectedStringToSign: String
    var expectedSignature: String
    /// Only the classic suite publishes the whole header value.
    var expectedAuthorization: String?

    var description: String { name }

    static var vectorsRoot: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Vectors")
    }

    /// The 38 cases of the aws-c-auth `v4/` suite, flags from each `context.json`.
    static func v4Suite() throws -> [SigV4VectorCase] {
        let root = vectorsRoot.appendingPathComponent("v4")
        return try caseFolders(in: root).map { folder in
            let context = try JSONSerialization.jsonObject(
                with: Data(contentsOf: folder.appendingPathComponent("context.json"))) as! [String: Any]
            let creds = context["credentials"] as! [String: Any]
            var request = try parseRawRequest(read(folder, "request.txt"))
            let signBody = context["sign_body"] as? Bool ?? false
            // The suite's `sign_body` cases also sign Content-Length, which request.txt carries.
            if !signBody { request.headers.removeAll { $0.name.lowercased() == "content-length" } }
            return SigV4VectorCase(
                name: "v4/" + folder.lastPathComponent,
                request: request,
                credentials: SigningCredentials(
                    accessKeyID: creds["access_key_id"] as! String,
                    secretAccessKey: creds["secret_access_key"] as! String,
                    sessionToken: creds["token"] as? String),
                options: SigV4Signer.Options(
                    normalizePath: context["normalize"] as? Bool ?? true,
                    addContentSHA256Header: signBody,
                    signSessionToken: !(context["omit_session_token"] as? Bool ?? false)),
                expectedCanonicalRequest: try read(folder, "header-canonical-request.txt"),
                expectedStringToSign: try read(folder, "header-string-to-sign.txt"),
                expectedSignature: try read(folder, "header-signature.txt"),
                expectedAuthorization: nil)
        }
    }

    /// The 34 cases of the classic suite. Its requests already carry `X-Amz-Date` (and one the
    /// token); those are taken out so the signer adds them, as it does for real requests.
    static func classicSuite() throws -> [SigV4VectorCase] {
        let root = vectorsRoot.appendingPathComponent("classic")
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
        var cases: [SigV4VectorCase] = []
        for case let file as URL in enumerator where file.pathExtension == "req" {
            let folder = file.deletingLastPathComponent()
            let base = file.deletingPathExtension().lastPathComponent
            var request = try parseRawRequest(String(contentsOf: file, encoding: .utf8))
            let creq = try read(folder, base + ".creq")
            request.headers.removeAll {
                ["x-amz-date", "x-amz-security-token"].contains($0.name.lowercased())
            }
            var token: String?
            var options = SigV4Signer.Options()
            if base == "post-sts-header-after" {
                token = stsToken
                options.signSessionToken = false
            } else if let line = creq.split(separator: "\n").first(where: { $0.hasPrefix("x-amz-security-token:") }) {
                token = String(line.dropFirst("x-amz-security-token:".count))
            }
            cases.append(
                SigV4VectorCase(
                    name: "classic/" + folder.path.replacingOccurrences(of: root.path + "/", with: ""),
                    request: request,
                    credentials: SigningCredentials(accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: token),
                    options: options,
                    expectedCanonicalRequest: creq,
                    expectedStringToSign: try read(folder, base + ".sts"),
                    expectedSignature: String(try read(folder, base + ".authz").split(separator: "=").last!),
                    expectedAuthorization: try read(folder, base + ".authz")))
        }
        return cases.sorted { $0.name < $1.name }
    }

    private static func caseFolders(in root: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: [.isDirectoryKey])
            .filter { (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    private static func read(_ folder: URL, _ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    /// Parses the suites' raw HTTP text: the request line splits on its first and last space (the
    /// target may hold spaces), a line starting with white space continues the previous header,
    /// a blank line starts the body.
    static func parseRawRequest(_ text: String) -> SigV4Request {
        var lines = text.components(separatedBy: "\n")
        let requestLine = lines.removeFirst()
        let firstSpace = requestLine.firstIndex(of: " ")!
        let lastSpace = requestLine.lastIndex(of: " ")!
        let method = String(requestLine[..<firstSpace])
        let target = String(requestLine[requestLine.index(after: firstSpace)..<lastSpace])

        var headers: [(name: String, value: String)] = []
        var bodyLines: [String]?
        for line in lines {
            if bodyLines != nil {
                bodyLines!.append(line)
            } else if line.isEmpty {
                bodyLines = []
            } else if line.first == " " || line.first == "\t" {
                headers[headers.count - 1].value += " " + line
            } else {
                let colon = line.firstIndex(of: ":")!
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }

        var path = target
        var query: [(name: String, value: String)] = []
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            for pair in target[target.index(after: mark)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
                let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
                query.append((name, value))
            }
        }
        let body = (bodyLines ?? []).joined(separator: "\n")
        return SigV4Request(method: method, path: path, query: query, headers: headers, body: Array(body.utf8))
    }
}
