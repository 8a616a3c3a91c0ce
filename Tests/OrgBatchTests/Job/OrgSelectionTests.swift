import Testing

@testable import OrgBatch

@Suite("OrgSelection: --org and --shard K/N")
struct OrgSelectionTests {
    static func orgs(_ names: [String]) -> [JobOrg] {
        names.enumerated().map { JobOrg(name: $1, profile: "p-\($1)", vars: [:], line: $0 + 3) }
    }

    static func names(_ orgs: [JobOrg]) -> [String] { orgs.map(\.name) }

    /// In job order, which is not name order.
    static let job = orgs(["delta", "alpha", "echo", "charlie", "bravo"])

    @Test func everyOrgWhenNothingIsNamed() throws {
        #expect(try OrgSelection.select(Self.job, names: [], shard: nil) == Self.job)
    }

    @Test func namedOrgsKeepJobOrder() throws {
        #expect(Self.names(try OrgSelection.select(Self.job, names: ["charlie", "delta"], shard: nil)) == ["delta", "charlie"])
        #expect(Self.names(try OrgSelection.select(Self.job, names: ["echo", "echo"], shard: nil)) == ["echo"])
    }

    @Test func unknownNamesAreAllReported() {
        let error = #expect(throws: OrgSelection.UnknownOrg.self) {
            try OrgSelection.select(Self.job, names: ["alpha", "zulu", "Bravo"], shard: nil)
        }
        #expect(error?.names == ["zulu", "Bravo"])
        #expect(error?.known == ["delta", "alpha", "echo", "charlie", "bravo"])
        #expect(error?.description == "no org named 'zulu', 'Bravo' in the job; orgs: delta, alpha, echo, charlie, bravo")
    }

    /// Sorted by name: alpha bravo charlie delta echo, dealt out in turn; results in job order.
    @Test(arguments: [
        (1, 1, ["delta", "alpha", "echo", "charlie", "bravo"]),
        (1, 2, ["alpha", "echo", "charlie"]),
        (2, 2, ["delta", "bravo"]),
        (1, 3, ["delta", "alpha"]),
        (2, 3, ["echo", "bravo"]),
        (3, 3, ["charlie"]),
        (5, 5, ["echo"]),
        (6, 7, []),
    ])
    func exactAssignment(index: Int, count: Int, expected: [String]) throws {
        #expect(Self.names(try OrgSelection.select(Self.job, names: [], shard: (index, count))) == expected)
    }

    @Test func namesFirstThenShardsOfWhatIsLeft() throws {
        // Named: alpha, charlie, echo -> shard 1/2: alpha, echo; shard 2/2: charlie.
        let named = ["echo", "alpha", "charlie"]
        #expect(Self.names(try OrgSelection.select(Self.job, names: named, shard: (1, 2))) == ["alpha", "echo"])
        #expect(Self.names(try OrgSelection.select(Self.job, names: named, shard: (2, 2))) == ["charlie"])
    }

    static let many = orgs((0..<23).map { "org-\(String($0 * 7 % 23).leftPadded(2))" })

    @Test(arguments: 1...9)
    func shardsPartitionTheOrgsEvenly(count: Int) throws {
        var seen: [String] = []
        var sizes: [Int] = []
        for index in 1...count {
            let share = Self.names(try OrgSelection.select(Self.many, names: [], shard: (index, count)))
            sizes.append(share.count)
            seen += share
        }
        #expect(seen.count == Self.many.count, "disjoint: no org in two shards")
        #expect(Set(seen) == Set(Self.names(Self.many)), "every org in some shard")
        #expect(sizes.max()! - sizes.min()! <= 1, "balanced: \(sizes)")
    }

    @Test(arguments: 1...4)
    func shardsDoNotDependOnJobOrder(count: Int) throws {
        let reversed = Array(Self.many.reversed())
        let interleaved = Self.many.enumerated().sorted { ($0.offset % 3, $0.offset) < ($1.offset % 3, $1.offset) }.map(\.element)
        for index in 1...count {
            let share = Set(Self.names(try OrgSelection.select(Self.many, names: [], shard: (index, count))))
            #expect(Set(Self.names(try OrgSelection.select(reversed, names: [], shard: (index, count)))) == share)
            #expect(Set(Self.names(try OrgSelection.select(interleaved, names: [], shard: (index, count)))) == share)
        }
    }
}
