import Foundation
import OrgBatch
import OrgBatchCurl
import Testing

/// The built binary running jobs against the local AWS, checked with an independent client
/// (boto3) and the local AWS's own request counts.
@Suite("plan and run against the local AWS", .serialized)
struct JobRunIntegrationTests {
    let seed: Seed
    let binary: String

    init() throws {
        binary = try OrgBatchBinary.path()
        seed = try LocalAWS.seed([
            "orgs": [
                [
                    "name": "alpha", "ous": ["Workloads", "Workloads/Web", "Retired"],
                    "accounts": [
                        ["name": "tools", "email": "tools@alpha.example.com", "ou": "Workloads"],
                        ["name": "web", "email": "web@alpha.example.com", "ou": "Workloads/Web"],
                        ["name": "old", "email": "old@alpha.example.com", "ou": "Retired", "state": "SUSPENDED"],
                        ["name": "gone", "email": "gone@alpha.example.com", "state": "CLOSED"],
                    ],
                ],
                [
                    "name": "beta",
                    "accounts": [
                        ["name": "b-tools", "email": "tools@beta.example.com"], ["name": "b-app", "email": "app@beta.example.com"],
                    ],
                ],
            ]
        ])
    }

    func account(_ org: String, _ name: String) -> String {
        seed.org(org).accounts.first { $0.name == name }!.id
    }

    /// A rollout over both orgs; `betaPrincipal` lets a test make beta's first step fail.
    func rolloutJob(betaPrincipal: String = "account.amazonaws.com") throws -> String {
        let text = """
            version: 1
            orgs:
              - name: alpha
                profile: alpha
                vars: {admin: "\(account("alpha", "tools"))", principal: account.amazonaws.com}
              - name: beta
                profile: beta
                vars: {admin: "\(account("beta", "b-tools"))", principal: \(betaPrincipal)}
            targets:
              exclude: {ous: [Retired]}
            actions:
              - trustedAccess: {servicePrincipal: "${principal}"}
              - delegatedAdmin: {servicePrincipal: "${principal}", account: "${admin}"}
              - alternateContact: {type: SECURITY, name: Security Ops, title: Security, email: sec@example.com, phone: "+1 206 555 0100"}
              - alternateContact: {type: BILLING, name: Finance, title: Billing, email: bill@example.com, phone: "+1 206 555 0101"}
            """
        let path = seed.folder.appendingPathComponent("rollout-\(UUID().uuidString.prefix(6)).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func orgbatch(_ arguments: [String]) throws -> (status: Int32, lines: [[String: Any]], stderr: String) {
        let result = try LocalAWS.run(binary, arguments + ["--no-progress"], environment: seed.environment)
        let lines = result.stdout.split(separator: "\n").map {
            try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        return (result.status, lines, result.stderr)
    }

    /// Calls the local AWS received from this test's organizations (other suites run at the
    /// same time, with organizations of their own).
    func requestCounts() throws -> [String: Int] {
        let response = try CurlTransport().send(HTTPRequest(method: "GET", url: seed.endpoint + "/_localaws/requests"))
        let all = (try JSONSerialization.jsonObject(with: Data(response.body)) as! [String: Any])["counts"] as! [String: Int]
        let managers = Set(seed.orgs.map(\.managementAccountId))
        return all.filter { managers.contains(String($0.key.prefix(12))) }
    }

    /// Write calls made by this test's organizations' management accounts.
    func writeCount() throws -> Int {
        try requestCounts().filter { key, _ in
            let operation = key.split(separator: ":")[1]
            return ["Put", "Delete", "Enable", "Disable", "Register", "Deregister"].contains { operation.hasPrefix($0) }
        }.values.reduce(0, +)
    }

    func readBack(_ profiles: [String]) throws -> [String: Any] {
        let result = try LocalAWS.run(
            "/usr/bin/env", ["python3", LocalAWS.root.appendingPathComponent("tools/localaws/readback.py").path] + profiles,
            environment: seed.environment.merging(["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]) { $1 })
        guard result.status == 0 else { throw LocalAWS.Failure(description: "readback failed: \(result.stderr)") }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    }

    @Test func planRunPlanAndAnIndependentReadBack() throws {
        let job = try rolloutJob()
        let plan = try orgbatch(["plan", job])
        #expect(plan.status == 2, "\(plan.stderr)")
        #expect(try writeCount() == 0)

        let run = try orgbatch(["run", job])
        #expect(run.status == 0, "\(run.stderr)")
        // alpha: 2 org-level + 2 x (management, tools, web, gone) ; beta: 2 + 2 x 3.
        #expect(run.lines.count == 18)
        let identities = run.lines.map { "\($0["org"]!)|\($0["account"] as? String ?? "-")|\($0["step"]!)" }
        #expect(Set(identities).count == 18)
        let skipped = run.lines.filter { $0["status"] as? String == "skipped" }
        #expect(skipped.count == 2)
        #expect(skipped.allSatisfy { $0["account"] as? String == account("alpha", "gone") })
        #expect(run.lines.filter { $0["status"] as? String == "changed" }.count == 16)

        // Read back with boto3, field by field.
        let state = try readBack(["alpha", "beta"])
        for org in ["alpha", "beta"] {
            let orgState = try #require(state[org] as? [String: Any])
            #expect(orgState["trustedAccess"] as? [String] == ["account.amazonaws.com"])
            let admin = account(org, org == "alpha" ? "tools" : "b-tools")
            #expect((orgState["delegatedAdministrators"] as? [String: [String]])?["account.amazonaws.com"] == [admin])
            let contacts = try #require(orgState["contacts"] as? [String: [String: Any]])
            var expectedAccounts = Set(seed.org(org).accounts.filter { $0.state == "ACTIVE" }.map(\.id))
            expectedAccounts.insert(seed.org(org).managementAccountId)
            #expect(Set(contacts.keys) == expectedAccounts)
            for (_, values) in contacts {
                #expect(values["SECURITY"] as? [String: String] == ["name": "Security Ops", "title": "Security", "email": "sec@example.com", "phone": "+1 206 555 0100"])
                #expect(values["BILLING"] as? [String: String] == ["name": "Finance", "title": "Billing", "email": "bill@example.com", "phone": "+1 206 555 0101"])
                #expect(values["OPERATIONS"] is NSNull)
            }
        }

        // Nothing left to do: a second run writes nothing.
        let writes = try writeCount()
        let again = try orgbatch(["run", job])
        #expect(again.status == 0)
        #expect(again.lines.allSatisfy { ["unchanged", "skipped"].contains($0["status"] as? String) })
        #expect(try writeCount() == writes)
        let finalPlan = try orgbatch(["plan", job])
        #expect(finalPlan.status == 0)
    }

    @Test func aFailedTrustedAccessStepSkipsThatOrgWhileTheOtherCompletes() throws {
        let job = try rolloutJob(betaPrincipal: "not-a-real-service.example.com")
        let run = try orgbatch(["run", job, "--org", "beta"])
        #expect(run.status == 1)
        let first = try #require(run.lines.first { $0["step"] as? Int == 1 })
        #expect(first["status"] as? String == "failed")
        #expect((first["error"] as? [String: Any])?["code"] as? String == "InvalidInputException")
        let rest = run.lines.filter { $0["step"] as? Int != 1 }
        #expect(rest.count == 7)
        #expect(rest.allSatisfy { $0["status"] as? String == "skipped" })
        #expect(rest.allSatisfy { ($0["reason"] as? String)?.contains("step 1 (trustedAccess not-a-real-service.example.com) failed") == true })
        #expect(!(try requestCounts().keys.contains { $0.hasPrefix(seed.org("beta").managementAccountId + ":PutAlternateContact") }))
    }

    @Test func badJobFilesExit64AndSendNothing() throws {
        let bad = seed.folder.appendingPathComponent("bad.yaml").path
        try """
            orgs:
              - name: alpha
                profile: alpha
            actions:
              - alternateContact: {type: SECURITY, name: S, title: T, email: not-an-email, phone: "+1 1"}
              - trustedAcces: {servicePrincipal: account.amazonaws.com}
            """.write(toFile: bad, atomically: true, encoding: .utf8)
        let before = try requestCounts()
        for command in ["validate", "plan", "run"] {
            let result = try LocalAWS.run(binary, [command, bad], environment: seed.environment)
            #expect(result.status == 64)
            #expect(result.stderr.contains("\(bad):5:"))
            #expect(result.stderr.contains("actions[0].alternateContact.email"))
            #expect(result.stderr.contains("\(bad):6:5: actions[1]: unknown action 'trustedAcces'"))
            #expect(result.stderr.contains("did you mean 'trustedAccess'?"))
            #expect(result.stdout.isEmpty)
        }
        #expect(try requestCounts() == before)
    }

    @Test func shardsAreDisjointAndCoverTheJob() throws {
        // Five job orgs over the two seeded organizations (a plan only reads).
        var text = "orgs:\n"
        for (index, name) in ["one", "two", "three", "four", "five"].enumerated() {
            text += "  - {name: \(name), profile: \(index % 2 == 0 ? "alpha" : "beta")}\n"
        }
        text += "actions:\n  - trustedAccess: {servicePrincipal: account.amazonaws.com}\n"
        let job = seed.folder.appendingPathComponent("sharded.yaml").path
        try text.write(toFile: job, atomically: true, encoding: .utf8)

        let whole = try orgbatch(["plan", job]).lines.map { $0["org"] as! String }
        var seen: [String] = []
        for index in 1...3 {
            let shard = try orgbatch(["plan", job, "--shard", "\(index)/3"]).lines.map { $0["org"] as! String }
            #expect(!shard.isEmpty)
            #expect(Set(shard).isDisjoint(with: seen))
            seen += shard
        }
        #expect(seen.sorted() == whole.sorted())
        #expect(whole.count == 5)
    }
}
