/// Turns a `TargetSpec` into the accounts of one organization.
enum TargetResolver {
    struct UnknownOU: Error, Sendable {
        var reference: String
    }

    /// Indexes into `directory.members`, in member order.
    static func select(
        _ spec: TargetSpec, in directory: OrgDirectory, managementAccountID: String
    ) throws(UnknownOU) -> [Int] {
        func ids(_ references: [String]) throws(UnknownOU) -> Set<String> {
            var result: Set<String> = []
            for reference in references {
                guard let id = directory.ouID(reference) else { throw UnknownOU(reference: reference) }
                result.insert(id)
            }
            return result
        }
        let includeOUs = try ids(spec.ous)
        // An excluded OU that this org lacks excludes nothing: one job serves orgs whose
        // structures differ.
        let excludeOUs = Set(spec.excludeOUs.compactMap(directory.ouID))
        let listed: Set<String>
        if case .list(let accounts) = spec.accounts { listed = Set(accounts) } else { listed = [] }
        let excluded = Set(spec.excludeAccounts)

        var selected: [Int] = []
        for (index, member) in directory.members.enumerated() {
            let isManagement = member.id == managementAccountID
            var chosen: Bool
            if isManagement {
                chosen = spec.managementAccount ?? (spec.selectsEveryAccount || listed.contains(member.id))
            } else if spec.selectsEveryAccount {
                chosen = true
            } else {
                chosen = listed.contains(member.id) || !includeOUs.isDisjoint(with: member.ancestors)
            }
            if excluded.contains(member.id) || !excludeOUs.isDisjoint(with: member.ancestors) {
                chosen = false
            }
            if chosen { selected.append(index) }
        }
        return selected
    }

    /// Whether any target in the job needs the OU tree.
    static func needsOUs(_ specs: [TargetSpec]) -> Bool {
        specs.contains { !$0.ous.isEmpty || !$0.excludeOUs.isEmpty }
    }
}
