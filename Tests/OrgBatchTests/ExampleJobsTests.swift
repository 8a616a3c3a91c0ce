import Foundation
import Testing

@testable import OrgBatch

/// Every example in `jobs/` loads and passes validation, with the profiles it names.
@Suite("The example jobs")
struct ExampleJobsTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("jobs")

    static func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }.sorted()
    }

    @Test func thereAreExamples() throws {
        #expect(try Self.files() == ["audit.yaml", "removal.json", "rollout.yaml"])
    }

    @Test("validates", arguments: try files())
    func validates(_ name: String) throws {
        let config = SharedConfig(
            config: try ConfigFile.parse("[profile prod]\nregion = us-east-1\n[profile sandbox]\nregion = us-east-1\n", path: "config"),
            credentials: nil)
        let job = try JobLoader(sharedConfig: config).load(path: Self.folder.appendingPathComponent(name).path)
        #expect(!job.orgs.isEmpty)
        #expect(!job.actions.isEmpty)
    }

    @Test func theRolloutStatesTheWholeBaseline() throws {
        let job = try JobLoader().load(path: Self.folder.appendingPathComponent("rollout.yaml").path)
        #expect(job.actions.map(\.name) == ["trustedAccess", "delegatedAdmin", "alternateContact", "alternateContact", "alternateContact"])
        #expect(job.orgs.map(\.name) == ["prod", "sandbox"])
        #expect(job.actions.allSatisfy { !$0.isDestructive })
    }
}
