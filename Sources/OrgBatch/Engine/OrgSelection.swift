/// `--org` and `--shard`: which organizations of a job this run takes.
public enum OrgSelection {
    public struct UnknownOrg: Error, Sendable, CustomStringConvertible {
        public var names: [String]
        public var known: [String]
        public var description: String {
            "no org named \(names.map { "'\($0)'" }.joined(separator: ", ")) in the job; orgs: \(known.joined(separator: ", "))"
        }
    }

    /// The orgs named (all when `names` is empty), then this shard's share.
    ///
    /// Sharding is by organization, deterministic and balanced: the orgs sorted by name are
    /// dealt out in turn, the i-th (from 0) to shard `i mod n + 1`. N hosts running shards
    /// 1 to n of the same job file cover every org exactly once.
    public static func select(
        _ orgs: [JobOrg], names: [String], shard: (index: Int, count: Int)?
    ) throws(UnknownOrg) -> [JobOrg] {
        var chosen = orgs
        if !names.isEmpty {
            let unknown = names.filter { name in !orgs.contains { $0.name == name } }
            guard unknown.isEmpty else { throw UnknownOrg(names: unknown, known: orgs.map(\.name)) }
            chosen = orgs.filter { names.contains($0.name) }
        }
        guard let shard, shard.count > 0 else { return chosen }
        let mine = Set(
            chosen.map(\.name).sorted().enumerated().filter { $0.offset % shard.count == shard.index - 1 }.map(\.element))
        return chosen.filter { mine.contains($0.name) }
    }
}
