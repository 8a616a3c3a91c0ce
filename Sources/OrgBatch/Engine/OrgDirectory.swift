/// What a run knows of one organization's accounts and OUs, read once before any write.
public struct OrgDirectory: Sendable {
    public struct Member: Sendable, Equatable {
        public var id: String
        /// `ACTIVE`, `SUSPENDED`, … (from `State`, else `Status`).
        public var state: String
        /// The OUs and root above the account, nearest first (empty when OUs were not read).
        public var ancestors: [String]
    }

    public var rootID: String?
    /// Sorted by id, so task order is the same run after run.
    public var members: [Member]
    /// `Prod/Web` -> `ou-…`
    public var ouByPath: [String: String]

    public init(rootID: String?, members: [Member], ouByPath: [String: String]) {
        self.rootID = rootID
        self.members = members.sorted { $0.id < $1.id }
        self.ouByPath = ouByPath
    }

    /// An OU reference from a job: an id (`ou-…`, `r-…`) or a name path from the root.
    public func ouID(_ reference: String) -> String? {
        if reference.hasPrefix("ou-") || reference.hasPrefix("r-") {
            return reference == rootID || ouByPath.values.contains(reference) ? reference : nil
        }
        let path = reference.split(separator: "/").joined(separator: "/")
        return ouByPath[path]
    }
}
