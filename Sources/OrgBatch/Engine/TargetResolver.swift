/// Turns a `TargetSpec` into the accounts of one organization.
enum TargetResolver {
    struct UnknownOU: Error, Sendable {
        var reference: String
    }

    /// One step's targets in one organization: whether a member is one of them. A member's
    /// answer depends on that member alone, so an account list read page by page can be
    /// matched page by page.
    struct Selector: Sendable {
        let includeOUs: Set<String>
        let excludeOUs: Set<String>
        let listed: Set<String>
        let excluded: Set<String>
        let selectsEveryAccount: Bool
        /// Whether the management account is chosen (it is when every account is selected,
        /// unless the spec says otherwise).
        let managementChosen: Bool?
        let managementAccountID: String

        /// - Parameter directory: the organization's OUs (its members are not read).
        /// - Throws: an OU the spec includes that the organization lacks.
        init(_ spec: TargetSpec, in directory: OrgDirectory, managementAccountID: String) throws(UnknownOU) {
            var includeOUs: Set<String> = []
            for reference in spec.ous {
                guard let id = directory.ouID(reference) else { throw UnknownOU(reference: reference) }
                includeOUs.insert(id)
            }
            self.includeOUs = includeOUs
            // An excluded OU that this org lacks excludes nothing: one job serves orgs whose
            // structures differ.
            excludeOUs = Set(spec.excludeOUs.compactMap(directory.ouID))
            if case .list(let accounts) = spec.accounts { listed = Set(accounts) } else { listed = [] }
            excluded = Set(spec.excludeAccounts)
            selectsEveryAccount = spec.selectsEveryAccount
            managementChosen = spec.managementAccount
            self.managementAccountID = managementAccountID
        }

        func chooses(_ member: OrgDirectory.Member) -> Bool {
            if excluded.contains(member.id) || !excludeOUs.isDisjoint(with: member.ancestors) { return false }
            if member.id == managementAccountID {
                return managementChosen ?? (selectsEveryAccount || listed.contains(member.id))
            }
            return selectsEveryAccount || listed.contains(member.id) || !includeOUs.isDisjoint(with: member.ancestors)
        }
    }

    /// Indexes into `directory.members`, in member order: every member put to one `Selector`
    /// (the run matches page by page instead; tests use this).
    static func select(
        _ spec: TargetSpec, in directory: OrgDirectory, managementAccountID: String
    ) throws(UnknownOU) -> [Int] {
        let selector = try Selector(spec, in: directory, managementAccountID: managementAccountID)
        return directory.members.indices.filter { selector.chooses(directory.members[$0]) }
    }

    /// Whether any target in the job needs the OU tree.
    static func needsOUs(_ specs: [TargetSpec]) -> Bool {
        specs.contains { !$0.ous.isEmpty || !$0.excludeOUs.isEmpty }
    }
}
