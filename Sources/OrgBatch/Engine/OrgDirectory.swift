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
    /// In the order the account list gives them (a step's tasks go out in this order): tasks
    /// start on the list's first page, before the rest is known.
    public var members: [Member]
    /// `Prod/Web` -> `ou-…`
    public var ouByPath: [String: String]

    public init(rootID: String?, members: [Member], ouByPath: [String: String]) {
        self.rootID = rootID
        self.members = members
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
