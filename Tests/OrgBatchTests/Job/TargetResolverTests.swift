import Testing

@testable import OrgBatch

/// An organization with the tree
/// ```
/// r-1 (root): 100000000000 (management), 666666666666
/// ├── Prod (ou-prod): 111111111111
/// │   ├── Web (ou-web): 222222222222
/// │   └── Data (ou-data): 333333333333
/// ├── Sandbox (ou-sbx): 444444444444
/// └── Suspended (ou-susp): 555555555555 (SUSPENDED)
/// ```
@Suite("TargetResolver: a TargetSpec against one organization's accounts and OUs")
struct TargetResolverTests {
    static let management = "100000000000"

    static let directory = OrgDirectory(
        rootID: "r-1",
        members: [
            .init(id: "100000000000", state: "ACTIVE", ancestors: ["r-1"]),
            .init(id: "111111111111", state: "ACTIVE", ancestors: ["ou-prod", "r-1"]),
            .init(id: "222222222222", state: "ACTIVE", ancestors: ["ou-web", "ou-prod", "r-1"]),
            .init(id: "333333333333", state: "ACTIVE", ancestors: ["ou-data", "ou-prod", "r-1"]),
            .init(id: "444444444444", state: "ACTIVE", ancestors: ["ou-sbx", "r-1"]),
            .init(id: "555555555555", state: "SUSPENDED", ancestors: ["ou-susp", "r-1"]),
            .init(id: "666666666666", state: "ACTIVE", ancestors: ["r-1"]),
        ],
        ouByPath: [
            "Prod": "ou-prod", "Prod/Web": "ou-web", "Prod/Data": "ou-data", "Sandbox": "ou-sbx", "Suspended": "ou-susp",
        ])

    static let all = ["100000000000", "111111111111", "222222222222", "333333333333", "444444444444", "555555555555", "666666666666"]

    static func select(_ spec: TargetSpec) throws -> [String] {
        try TargetResolver.select(spec, in: directory, managementAccountID: management).map { directory.members[$0].id }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var spec: TargetSpec
        var expected: [String]
        init(_ description: String, _ spec: TargetSpec, _ expected: [String]) {
            testDescription = description
            self.spec = spec
            self.expected = expected
        }
    }

    @Test func targetsFollowTheAccountListsOrder() throws {
        let listed = OrgDirectory(rootID: "r-1", members: Self.directory.members.reversed(), ouByPath: Self.directory.ouByPath)
        let selected = try TargetResolver.select(TargetSpec(), in: listed, managementAccountID: Self.management)
        #expect(selected.map { listed.members[$0].id } == Self.all.reversed())
    }

    @Test(arguments: [
        Case("all accounts: the management account by default", TargetSpec(), all),
        Case("all accounts, managementAccount false", TargetSpec(managementAccount: false), Array(all.dropFirst())),
        Case("all accounts, managementAccount true", TargetSpec(managementAccount: true), all),
        Case("an explicit list, in member order", TargetSpec(accounts: .list(["444444444444", "222222222222"])),
             ["222222222222", "444444444444"]),
        Case("an explicit list naming the management account", TargetSpec(accounts: .list(["100000000000", "222222222222"])),
             ["100000000000", "222222222222"]),
        Case("a list naming the management account, managementAccount false",
             TargetSpec(accounts: .list(["100000000000", "222222222222"]), managementAccount: false), ["222222222222"]),
        Case("a list with an id the org lacks", TargetSpec(accounts: .list(["999999999999"])), []),
        Case("an empty list", TargetSpec(accounts: .list([])), []),
        Case("an empty list plus the management account", TargetSpec(accounts: .list([]), managementAccount: true),
             ["100000000000"]),
        Case("an OU by path is recursive", TargetSpec(ous: ["Prod"]), ["111111111111", "222222222222", "333333333333"]),
        Case("an OU by id is recursive", TargetSpec(ous: ["ou-prod"]), ["111111111111", "222222222222", "333333333333"]),
        Case("a nested OU by path", TargetSpec(ous: ["Prod/Web"]), ["222222222222"]),
        Case("a path with stray slashes", TargetSpec(ous: ["/Prod//Web/"]), ["222222222222"]),
        Case("two OUs", TargetSpec(ous: ["Prod/Data", "ou-sbx"]), ["333333333333", "444444444444"]),
        Case("the root by id: every member but the management account",
             TargetSpec(ous: ["r-1"]), Array(all.dropFirst())),
        Case("an OU plus managementAccount true", TargetSpec(ous: ["Prod"], managementAccount: true),
             ["100000000000", "111111111111", "222222222222", "333333333333"]),
        Case("a list and an OU together", TargetSpec(accounts: .list(["222222222222"]), ous: ["Sandbox"]),
             ["222222222222", "444444444444"]),
        Case("exclude an account", TargetSpec(excludeAccounts: ["222222222222"]),
             ["100000000000", "111111111111", "333333333333", "444444444444", "555555555555", "666666666666"]),
        Case("exclude an OU by path, recursively", TargetSpec(excludeOUs: ["Prod"]),
             ["100000000000", "444444444444", "555555555555", "666666666666"]),
        Case("exclude OUs by path and by id", TargetSpec(excludeOUs: ["Prod/Web", "ou-susp"]),
             ["100000000000", "111111111111", "333333333333", "444444444444", "666666666666"]),
        Case("excluded OUs the org lacks exclude nothing", TargetSpec(excludeOUs: ["Missing", "ou-zzzz-99999999", "r-2"]), all),
        Case("an OU minus a nested OU", TargetSpec(ous: ["Prod"], excludeOUs: ["Prod/Data"]), ["111111111111", "222222222222"]),
        Case("an OU minus an account", TargetSpec(ous: ["Prod"], excludeAccounts: ["111111111111"]),
             ["222222222222", "333333333333"]),
        Case("exclusion beats managementAccount true", TargetSpec(excludeAccounts: ["100000000000"], managementAccount: true),
             Array(all.dropFirst())),
        Case("excluding the root excludes everyone", TargetSpec(excludeOUs: ["r-1"]), []),
    ])
    func select(_ example: Case) throws {
        #expect(try Self.select(example.spec) == example.expected)
    }

    @Test(arguments: ["Missing", "Prod/Missing", "prod", "ou-zzzz-99999999", "r-2"])
    func includedOUTheOrgLacksIsAnError(reference: String) {
        let error = #expect(throws: TargetResolver.UnknownOU.self) {
            try Self.select(TargetSpec(ous: ["Prod", reference]))
        }
        #expect(error?.reference == reference)
    }

    @Test(arguments: [
        ("ou-prod", "ou-prod"),
        ("ou-web", "ou-web"),
        ("r-1", "r-1"),
        ("Prod/Web", "ou-web"),
        ("Prod//Web/", "ou-web"),
        ("Sandbox", "ou-sbx"),
        ("r-2", nil),
        ("ou-nope", nil),
        ("Web", nil),
        ("sandbox", nil),
        ("", nil),
    ] as [(String, String?)])
    func ouReferences(reference: String, id: String?) {
        #expect(Self.directory.ouID(reference) == id)
    }

    @Test func needsTheOUTreeOnlyWhenASpecNamesOUs() {
        #expect(!TargetResolver.needsOUs([]))
        #expect(!TargetResolver.needsOUs([TargetSpec(), TargetSpec(accounts: .list(["111111111111"]), excludeAccounts: ["2"])]))
        #expect(TargetResolver.needsOUs([TargetSpec(), TargetSpec(ous: ["Prod"])]))
        #expect(TargetResolver.needsOUs([TargetSpec(excludeOUs: ["Suspended"])]))
    }

    @Test func membersWithoutAncestorsMatchNoOU() throws {
        // When OUs were not read, ancestors are empty: an excluded OU excludes no one.
        let flat = OrgDirectory(
            rootID: nil, members: [.init(id: "222222222222", state: "ACTIVE", ancestors: []),
                                   .init(id: "100000000000", state: "ACTIVE", ancestors: [])], ouByPath: [:])
        let selected = try TargetResolver.select(TargetSpec(excludeOUs: ["Prod"]), in: flat, managementAccountID: Self.management)
        #expect(selected == [0, 1])
    }
}
