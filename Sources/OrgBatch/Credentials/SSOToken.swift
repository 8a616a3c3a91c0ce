import Crypto
import Foundation

/// An IAM Identity Center access token as `aws sso login` caches it in
/// `~/.aws/sso/cache/<sha1>.json`: the token, its expiry and, for `sso_session` logins, what
/// it takes to refresh it (the client registration and the refresh token).
///
/// Unknown keys of the file are kept when the token is written back, so the aws CLI finds
/// the file as it left it.
struct SSOToken: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    var accessToken: String
    var expiresAt: Date
    var refreshToken: String?
    var clientID: String?
    var clientSecret: String?
    var registrationExpiresAt: Date?
    /// The file as read, for writing back.
    var raw: Data

    /// The cache file's name: the SHA-1 of the session name (`sso_session` profiles) or of
    /// the start URL (legacy profiles), in hex, plus `.json` (botocore's `SSOTokenLoader`).
    static func cacheFileName(sessionName: String?, startURL: String) -> String {
        let key = sessionName ?? startURL
        return Insecure.SHA1.hash(data: Array(key.utf8)).map { String(format: "%02x", $0) }.joined() + ".json"
    }

    /// Reads a cache file's contents; nil when `accessToken` or `expiresAt` is missing.
    static func parse(_ data: Data) -> SSOToken? {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let accessToken = object["accessToken"] as? String, !accessToken.isEmpty,
            let expiresAt = (object["expiresAt"] as? String).flatMap(parseTime)
        else { return nil }
        func string(_ key: String) -> String? {
            guard let value = object[key] as? String, !value.isEmpty else { return nil }
            return value
        }
        return SSOToken(
            accessToken: accessToken, expiresAt: expiresAt, refreshToken: string("refreshToken"),
            clientID: string("clientId"), clientSecret: string("clientSecret"),
            registrationExpiresAt: string("registrationExpiresAt").flatMap(parseTime), raw: data)
    }

    /// The file's new contents: what was read, with the token's fields replaced; nil when it
    /// cannot be written.
    func serialized() -> Data? {
        var object = ((try? JSONSerialization.jsonObject(with: raw)) as? [String: Any]) ?? [:]
        object["accessToken"] = accessToken
        object["expiresAt"] = Self.formatTime(expiresAt)
        if let refreshToken { object["refreshToken"] = refreshToken }
        return try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// Never the tokens or the client secret.
    var description: String { "SSOToken(expiresAt: \(Self.formatTime(expiresAt)), refreshable: \(refreshToken != nil))" }
    var debugDescription: String { description }
    var customMirror: Mirror { Mirror(self, children: ["expiresAt": expiresAt]) }

    /// Whether a refresh can be tried: a refresh token and an unexpired client registration.
    func canRefresh(now: Date) -> Bool {
        guard refreshToken != nil, clientID != nil, clientSecret != nil, let registrationExpiresAt else { return false }
        return registrationExpiresAt > now
    }

    /// `2026-11-24T18:00:00Z`, with or without fractions; older CLIs wrote `…UTC` and offsets.
    static func parseTime(_ text: String) -> Date? {
        var text = text.trimmingSpaces()
        if text.hasSuffix("UTC") { text = String(text.dropLast(3)) + "Z" }
        return STSClient.parseTimestamp(text)
    }

    static func formatTime(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
