/// An organization that passed its preflight: what its tasks need, and its accounts as far as
/// they have been read.
///
/// When no target names an OU, the preflight reads only the first page of the account list,
/// and tasks start on its accounts while the rest is read (`rest`): each page of 20 accounts is
/// a round trip, and an organization of hundreds would otherwise hold its first write back by
/// as many. Targets naming OUs need the whole tree before any account can be matched, so then
/// the whole list is read first.
struct PreparedOrg: Sendable {
    let context: OrgContext
    /// The accounts read so far, in the order the account list gives them.
    let members: [OrgDirectory.Member]
    /// Per step: which accounts it applies to; nil for an org-level step.
    let selectors: [TargetResolver.Selector?]
    /// Where the account list goes on; nil when it has been read to its end (or no step needs
    /// the accounts).
    let rest: PagePosition?
}
