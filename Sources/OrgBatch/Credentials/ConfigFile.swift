/// One AWS shared config or credentials file, parsed: pure, no I/O.
///
/// Follows botocore's reading (Python `configparser.RawConfigParser` plus botocore's nested
/// sub-sections), so a file means here what it means to the aws CLI:
/// - `[section]` headers; `key = value` or `key: value`, split at the first `=` or `:`;
///   keys are lower-cased, values trimmed;
/// - whole-line comments start with `#` or `;` (no inline comments: `a = b # c` has the value
///   `b # c`, as in the aws CLI);
/// - an indented line continues the value above it; a value that starts on the next line is a
///   nested block of `key = value` lines (`[services]` and `s3 =` style settings);
/// - a duplicated section or key is an error, as it is for the aws CLI.
public struct ConfigFile: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// The value as written (continuation lines joined with `\n`).
        public var value: String
        /// The nested `key = value` pairs when the value started on the next line.
        public var nested: [String: String]
        public var line: Int
    }

    public struct Section: Sendable, Equatable {
        /// The header as written between the brackets, trimmed: `profile dev`, `default`.
        public var name: String
        public var line: Int
        public var entries: [String: Entry]
    }

    public var path: String
    public var sections: [Section]

    public func section(named name: String) -> Section? {
        sections.first { $0.name == name }
    }

    /// Parses `text`, read from `path` (used in error messages only).
    public static func parse(_ text: String, path: String) throws(ConfigError) -> ConfigFile {
        var sections: [Section] = []
        var currentKey: String?
        var keyIndent = 0

        func fail(_ line: Int, _ message: String) -> ConfigError {
            ConfigError(.parse, "\(path):\(line): \(message)", files: [path])
        }

        // `\r\n` is one Character in Swift, so split on any line break rather than on "\n".
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let lineNumber = index + 1
            let trimmed = line.trimmingSpaces()
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count

            if trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if trimmed.isEmpty {
                // Blank lines inside a multi-line value belong to it; trailing ones are trimmed.
                if let key = currentKey { sections[sections.count - 1].entries[key]!.value += "\n" }
                continue
            }
            if let key = currentKey, indent > keyIndent {
                sections[sections.count - 1].entries[key]!.value += "\n" + trimmed
                continue
            }
            currentKey = nil
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]"), trimmed.count > 2 else {
                    throw fail(lineNumber, "a section header must look like [name]")
                }
                let name = String(trimmed.dropFirst().dropLast()).trimmingSpaces()
                if let earlier = sections.first(where: { $0.name == name }) {
                    throw fail(lineNumber, "section [\(name)] already appears on line \(earlier.line)")
                }
                sections.append(Section(name: name, line: lineNumber, entries: [:]))
                continue
            }
            guard !sections.isEmpty else {
                throw fail(lineNumber, "a setting before the first [section] header")
            }
            guard let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw fail(lineNumber, "expected 'key = value', found '\(trimmed.prefix(40))'")
            }
            let key = String(trimmed[..<separator]).trimmingSpaces().lowercased()
            let value = String(trimmed[trimmed.index(after: separator)...]).trimmingSpaces()
            guard !key.isEmpty else { throw fail(lineNumber, "a setting with no key") }
            if let earlier = sections[sections.count - 1].entries[key] {
                throw fail(lineNumber, "'\(key)' already set on line \(earlier.line) of this section")
            }
            sections[sections.count - 1].entries[key] = Entry(value: value, nested: [:], line: lineNumber)
            currentKey = key
            keyIndent = indent
        }

        for sectionIndex in sections.indices {
            for (key, entry) in sections[sectionIndex].entries {
                let startsOnNextLine = entry.value.hasPrefix("\n")
                var finished = entry
                finished.value = entry.value.trimmingSpaces()
                if startsOnNextLine {
                    finished.nested = try parseNested(finished.value, line: entry.line, fail: fail)
                }
                sections[sectionIndex].entries[key] = finished
            }
        }
        return ConfigFile(path: path, sections: sections)
    }

    /// botocore's `_parse_nested`: each non-empty line is `key = value`.
    private static func parseNested(
        _ block: String, line: Int, fail: (Int, String) -> ConfigError
    ) throws(ConfigError) -> [String: String] {
        var nested: [String: String] = [:]
        for row in block.split(separator: "\n") where !row.trimmingSpaces().isEmpty {
            guard let equals = row.firstIndex(of: "=") else {
                throw fail(line, "nested setting '\(row.trimmingSpaces())' must look like 'key = value'")
            }
            // Unlike top-level keys, nested keys keep their case (botocore does not lower them).
            nested[String(row[..<equals]).trimmingSpaces()] =
                String(row[row.index(after: equals)...]).trimmingSpaces()
        }
        return nested
    }
}

extension StringProtocol {
    /// Trims spaces, tabs and line ends at both ends.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
