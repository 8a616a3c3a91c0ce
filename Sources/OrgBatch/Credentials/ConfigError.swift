/// Something wrong with the user's AWS configuration: a profile, a file, an endpoint.
///
/// Carries a stable `code` for reports and scripts, the profile concerned and the files that
/// were read, so the message says where to look. Never carries a secret.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case fileUnreadable = "config.file-unreadable"
        case parse = "config.parse"
        case profileNotFound = "profile.not-found"
        case sourceProfileCycle = "profile.source-cycle"
        case incompleteKeys = "profile.incomplete-keys"
        case noCredentials = "profile.no-credentials"
        case conflictingSettings = "profile.conflicting-settings"
        case invalidSetting = "profile.invalid-setting"
        case invalidEndpoint = "endpoint.invalid"
        case insecureEndpoint = "endpoint.insecure"
    }

    public var code: Code
    public var message: String
    public var profile: String?
    /// The configuration files consulted, so the user knows which ones to open.
    public var files: [String]

    public init(_ code: Code, _ message: String, profile: String? = nil, files: [String] = []) {
        self.code = code
        self.message = message
        self.profile = profile
        self.files = files
    }

    public var description: String {
        var text = message
        if !files.isEmpty { text += " (files read: \(files.joined(separator: ", ")))" }
        return text
    }
}
