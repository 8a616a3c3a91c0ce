import Foundation

/// The user's AWS shared config and credentials files, merged the way botocore merges them.
///
/// - In the config file a profile is `[profile NAME]` (or `[default]`); in the credentials
///   file it is `[NAME]`. A setting in the credentials file wins over the same setting in the
///   config file.
/// - `[default]` and `[profile default]` both name `default`; if both exist, the later one wins.
/// - `[sso-session NAME]` and `[services NAME]` sections are kept for the settings that name them.
public struct SharedConfig: Sendable {
    /// One setting of a profile and where it came from.
    public struct Setting: Sendable, Equatable {
        public var value: String
        public var nested: [String: String]
        public var file: String
        public var line: Int
    }

    public typealias Settings = [String: Setting]

    public private(set) var profiles: [String: Settings] = [:]
    public private(set) var ssoSessions: [String: Settings] = [:]
    public private(set) var services: [String: Settings] = [:]
    /// Every file looked at, with `(missing)` after one that does not exist.
    public private(set) var filesRead: [String] = []
    /// The config file's path (settings from it carry this as their `file`).
    public private(set) var configPath: String?

    /// Builds the merged view from already parsed files (either may be absent).
    public init(config: ConfigFile?, credentials: ConfigFile?, filesRead: [String] = []) {
        self.filesRead = filesRead
        configPath = config?.path
        if let config {
            for section in config.sections {
                let settings = Self.settings(section, file: config.path)
                let words = Self.headerWords(section.name)
                switch (words.first, words.count) {
                // `[default]` and `[profile default]` are one profile; the later section wins whole.
                case ("default", 1): profiles["default"] = settings
                case ("profile", 2): profiles[words[1]] = settings
                case ("sso-session", 2): ssoSessions[words[1]] = settings
                case ("services", 2): services[words[1]] = settings
                default: continue  // botocore ignores other sections (and malformed headers)
                }
            }
        }
        if let credentials {
            for section in credentials.sections {
                profiles[section.name, default: [:]].merge(Self.settings(section, file: credentials.path)) { $1 }
            }
        }
    }

    /// Reads the files the environment points at: `AWS_CONFIG_FILE` (default `~/.aws/config`)
    /// and `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`). A missing file counts
    /// as empty, as it does for the aws CLI.
    public static func load(environment: [String: String]) throws(ConfigError) -> SharedConfig {
        let configPath = path(environment["AWS_CONFIG_FILE"], default: "~/.aws/config", environment)
        let credentialsPath = path(
            environment["AWS_SHARED_CREDENTIALS_FILE"], default: "~/.aws/credentials", environment)
        var filesRead: [String] = []
        let config = try read(configPath, into: &filesRead)
        let credentials = try read(credentialsPath, into: &filesRead)
        return SharedConfig(config: config, credentials: credentials, filesRead: filesRead)
    }

    public var profileNames: [String] { profiles.keys.sorted() }

    private static func read(_ path: String, into filesRead: inout [String]) throws(ConfigError) -> ConfigFile? {
        guard FileManager.default.fileExists(atPath: path) else {
            filesRead.append(path + " (missing)")
            return nil
        }
        filesRead.append(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(.fileUnreadable, "cannot read \(path)", files: [path])
        }
        return try ConfigFile.parse(String(decoding: data, as: UTF8.self), path: path)
    }

    /// Expands a leading `~` with `HOME`.
    static func path(_ value: String?, default fallback: String, _ environment: [String: String]) -> String {
        let raw = value.flatMap { $0.isEmpty ? nil : $0 } ?? fallback
        guard raw.hasPrefix("~") else { return raw }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + raw.dropFirst()
    }

    /// `profile "my dev"` -> [profile, my dev], the way botocore splits headers (shlex).
    static func headerWords(_ header: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for character in header {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character == " " || character == "\t" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    private static func settings(_ section: ConfigFile.Section, file: String) -> Settings {
        section.entries.mapValues { Setting(value: $0.value, nested: $0.nested, file: file, line: $0.line) }
    }
}
