import Foundation
import SigV4

/// Credentials with their expiry. `description` hides the secret and the token.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible {
    public var signing: SigningCredentials
    /// nil for long-term keys.
    public var expiration: Date?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        signing = SigningCredentials(
            accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, sessionToken: sessionToken)
        self.expiration = expiration
    }

    public var accessKeyID: String { signing.accessKeyID }

    public var description: String {
        "AWSCredentials(accessKeyID: \(signing.accessKeyID), secret: <redacted>"
            + (signing.sessionToken == nil ? "" : ", sessionToken: <redacted>")
            + (expiration.map { ", expires: \($0)" } ?? "") + ")"
    }
}
