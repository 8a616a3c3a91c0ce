/// Everything wrong with a job file, each problem with its place: file, line, column and key
/// path. Thrown before any request is sent.
public struct JobValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Issue: Sendable, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var column: Int
        /// `actions[2].alternateContact.email`
        public var keyPath: String
        public var message: String

        /// `jobs/rollout.yaml:12:7: actions[2].alternateContact.email: 'x' is not an email …`
        public var description: String {
            "\(file):\(line):\(column): " + (keyPath.isEmpty ? "" : "\(keyPath): ") + message
        }
    }

    public var issues: [Issue]

    public var description: String {
        issues.map(\.description).joined(separator: "\n")
    }

    /// A stable code for reports and scripts.
    public var code: String { "job.invalid" }
}
