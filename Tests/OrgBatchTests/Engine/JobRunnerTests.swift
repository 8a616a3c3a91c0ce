import Foundation
import Synchronization
import Testing

@testable import OrgBatch

@Suite("Running jobs against an in-memory AWS")
struct JobRunnerTests {
    static let rollout = """
        orgs:
          - name: prod
            profile: prod
            vars: {admin: "100000000001"}
          - name: dev
            profile: dev
            vars: {admin: "200000000001"}
        actions:
          - trustedAccess: {servicePrincipal: account.amazonaws.com}
          - delegatedAdmin: {servicePrincipal: account.amazonaws.com, account: "${admin}"}
          - alternateContact: {type: SECURITY, name: Sec, title: Security, email: sec@example.com, phone: "+1 555 0100"}
          - alternateContact: {type: BILLING, name: Bill, title: Billing, email: bill@example.com, phone: "+1 555 0101"}
        """

    /// prod: management 100000000000 and three members (one SUSPENDED); dev: 200000000000 and two.
    static func world() -> FakeAWS {
        let aws = FakeAWS()
        aws.add(
            .init(
                id: "o-prod000001", management: "100000000000",
                members: [
                    .init(id: "100000000001", parent: "r-prod"), .init(id: "100000000002", parent: "r-prod"),
                    .init(id: "100000000003", state: "SUSPENDED", parent: "r-prod"),
                ]))
        aws.add(
            .init(
                id: "o-dev0000001", management: "200000000000",
                members: [.init(id: "200000000001", parent: "r-dev0"), .init(id: "200000000002", parent: "r-dev0")]))
        return aws
    }

    static let profiles = ["prod": "100000000000", "dev": "200000000000"]

    struct Outcome {
        var lines: [[String: Any]]
        var summary: RunSummary

        func statuses(org: String? = nil, action: String? = nil) -> [String: Int] {
            var counts: [String: Int] = [:]
            for line in lines where (org == nil || line["org"] as? String == org) && (action == nil || line["action"] as? String == action) {
                counts[line["status"] as! String, default: 0] += 1
            }
            return counts
        }

        /// org / account / action / params: what identifies a task.
        var identities: [String] {
            lines.map { line in
                let params = (line["params"] as! [String: Any]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                return "\(line["org"]!)|\(line["account"] as? String ?? "-")|\(line["step"]!)|\(params)"
            }
        }
    }

    static func run(
        _ yaml: String, _ aws: FakeAWS, mode: RunMode = .run, profiles: [String: String] = JobRunnerTests.profiles,
        concurrency: Int = 4, orgs orgNames: [String] = [], profileOverride: String? = nil,
        onRunner: (JobRunner) -> Void = { _ in }
    ) throws -> Outcome {
        let config = try FakeAWS.config(profiles)
        let job = try JobLoader(sharedConfig: config).load(text: yaml, path: "job.yaml")
        let orgs = try OrgSelection.select(job.orgs, names: orgNames, shard: nil)
        let sink = MemoryReportSink()
        let runner = JobRunner(
            job: job, orgs: orgs,
            options: RunOptions(mode: mode, concurrency: concurrency, profileOverride: profileOverride),
            environment: [:], sharedConfig: config, transportFactory: aws, writer: ReportWriter(sink: sink),
            clock: ManualClock(), random: FixedRandom(value: 0), runID: "run-1")
        onRunner(runner)
        let summary = runner.run()
        let lines = sink.lines.map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        return Outcome(lines: lines, summary: summary)
    }

    @Test func aRunAppliesEverythingAndASecondRunChangesNothing() throws {
        let aws = Self.world()
        let first = try Self.run(Self.rollout, aws)
        // prod: 2 org-level + 2 x 4 accounts (management, two active, one suspended); dev: 2 + 2 x 3.
        #expect(first.lines.count == 18)
        #expect(Set(first.identities).count == 18)
        #expect(first.statuses(org: "prod") == ["changed": 8, "skipped": 2])
        #expect(first.statuses(org: "dev") == ["changed": 8])
        #expect(first.summary.tally.total == 18)
        #expect(first.summary.tally.expected == 18)

        let prod = aws.org("100000000000")
        #expect(prod.trusted == ["account.amazonaws.com"])
        #expect(prod.admins["account.amazonaws.com"] == ["100000000001"])
        #expect(prod.contacts["100000000000"]?["SECURITY"]?["EmailAddress"] == "sec@example.com")
        #expect(prod.contacts["100000000002"]?["BILLING"]?["Name"] == "Bill")
        #expect(prod.contacts["100000000003"] == nil)  // SUSPENDED: not written

        let writesBefore = aws.writes.count
        let second = try Self.run(Self.rollout, aws)
        #expect(second.statuses() == ["unchanged": 16, "skipped": 2])
        #expect(aws.writes.count == writesBefore)
    }

    @Test(arguments: [2, 8]) func aFailedAccountListFailsThatOrgWithItsError(concurrency: Int) throws {
        let aws = Self.world()
        aws.fail("200000000000", "ListAccounts", .init(status: 400, code: "AccessDeniedException", message: "no list"))
        let outcome = try Self.run(Self.rollout, aws, concurrency: concurrency)
        #expect(outcome.statuses(org: "dev") == ["failed": 4])
        let line = try #require(outcome.lines.first { $0["org"] as? String == "dev" })
        let error = try #require(line["error"] as? [String: Any])
        #expect(error["code"] as? String == "AccessDeniedException")
        #expect(error["operation"] as? String == "ListAccounts")
        #expect(line["orgId"] as? String == "o-dev0000001")
        #expect(outcome.statuses(org: "prod") == ["changed": 8, "skipped": 2])
    }

    @Test func preflightReadsGoAlongsideOnlyOnWorkersToSpare() throws {
        // Two orgs, two workers: each worker prepares an org and makes its reads itself.
        let busy = Self.world()
        let first = try Self.run(Self.rollout, busy, concurrency: 2)
        #expect(busy.transportsMade.withLock { $0 } == 2)
        // Two orgs, eight workers: six to spare, enough for each org's two reads alongside.
        let idle = Self.world()
        let second = try Self.run(Self.rollout, idle, concurrency: 8)
        #expect(idle.transportsMade.withLock { $0 } == 8 + 2 * 2)
        // The same report either way.
        #expect(first.statuses() == ["changed": 16, "skipped": 2])
        #expect(Set(first.identities) == Set(second.identities))
        #expect(second.statuses() == first.statuses())
    }

    @Test func theManagementAccountIsCalledWithoutAccountId() throws {
        let aws = Self.world()
        _ = try Self.run(Self.rollout, aws)
        let managementCalls = aws.calls.filter { $0.hasPrefix("100000000000:PutAlternateContact") }
        #expect(managementCalls.contains("100000000000:PutAlternateContact"))
        #expect(!managementCalls.contains("100000000000:PutAlternateContact:100000000000"))
        #expect(managementCalls.contains("100000000000:PutAlternateContact:100000000001"))
    }

    @Test func reportLinesCarryBeforeAfterAndContext() throws {
        let aws = Self.world()
        let outcome = try Self.run(Self.rollout, aws, orgs: ["dev"])
        let contact = try #require(
            outcome.lines.first { $0["account"] as? String == "200000000002" && $0["step"] as? Int == 3 })
        #expect(contact["status"] as? String == "changed")
        #expect(contact["before"] is NSNull)
        #expect((contact["after"] as? [String: String])?["email"] == "sec@example.com")
        #expect(contact["orgId"] as? String == "o-dev0000001")
        #expect(contact["profile"] as? String == "dev")
        #expect(contact["runId"] as? String == "run-1")
        #expect(contact["schema"] as? String == "orgbatch.report/1")
        #expect(contact["attempts"] as? Int == 2)  // one read, one write
        #expect((contact["requestId"] as? String)?.hasPrefix("fake-") == true)
        let trusted = try #require(outcome.lines.first { $0["action"] as? String == "trustedAccess" })
        #expect(trusted["account"] is NSNull)
        #expect(trusted["before"] as? [String: Bool] == ["enabled": false])
        #expect(trusted["after"] as? [String: Bool] == ["enabled": true])
    }

    @Test func stepsRunInOrderWithinEachOrganization() throws {
        let aws = Self.world()
        _ = try Self.run(Self.rollout, aws, concurrency: 8)
        for management in ["100000000000", "200000000000"] {
            let writes = aws.writes.filter { $0.hasPrefix(management) }.map { String($0.split(separator: ":")[1]) }
            let enable = writes.firstIndex(of: "EnableAWSServiceAccess")!
            let register = writes.firstIndex(of: "RegisterDelegatedAdministrator")!
            let firstPut = writes.firstIndex(of: "PutAlternateContact")!
            #expect(enable < register && register < firstPut)
        }
    }

    @Test func aFailedTrustedAccessStepSkipsThatOrgsLaterSteps() throws {
        let aws = Self.world()
        aws.fail("200000000000", "EnableAWSServiceAccess", .init(status: 400, code: "AccessDeniedException", message: "denied"))
        let outcome = try Self.run(Self.rollout, aws)
        #expect(outcome.statuses(org: "dev") == ["failed": 1, "skipped": 7])
        let skipped = try #require(outcome.lines.first { $0["org"] as? String == "dev" && $0["status"] as? String == "skipped" })
        #expect((skipped["reason"] as? String)?.contains("step 1 (trustedAccess account.amazonaws.com) failed: AccessDeniedException") == true)
        let failed = try #require(outcome.lines.first { $0["org"] as? String == "dev" && $0["status"] as? String == "failed" })
        #expect((failed["error"] as? [String: Any])?["code"] as? String == "AccessDeniedException")
        #expect(outcome.statuses(org: "prod") == ["changed": 8, "skipped": 2])
        #expect(!aws.writes.contains { $0.hasPrefix("200000000000:Put") })
    }

    /// Concurrency 2: no worker to spare, each worker makes its org's reads in turn; 8: the
    /// reads go alongside. The failure reported is the same.
    @Test(arguments: [2, 8]) func aFailedPreflightFailsThatOrgOnly(concurrency: Int) throws {
        let aws = Self.world()
        var dev = aws.org("200000000000")
        dev.allFeatures = false
        aws.add(dev)
        let outcome = try Self.run(Self.rollout, aws, concurrency: concurrency)
        #expect(outcome.statuses(org: "dev") == ["failed": 4])  // one line per action: accounts unknown
        let line = try #require(outcome.lines.first { $0["org"] as? String == "dev" })
        let error = try #require(line["error"] as? [String: Any])
        #expect(error["code"] as? String == "preflight.not-all-features")
        #expect((error["message"] as? String)?.contains("Enable all features") == true)
        #expect(line["orgId"] as? String == "o-dev0000001")
        #expect(outcome.statuses(org: "prod") == ["changed": 8, "skipped": 2])
        #expect(aws.writes.allSatisfy { $0.hasPrefix("100000000000") })
    }

    @Test func badCredentialsFailTheOrgWithTheAWSCode() throws {
        let aws = Self.world()
        aws.fail("200000000000", "GetCallerIdentity", .init(status: 403, code: "InvalidClientTokenId", message: "The security token included in the request is invalid."))
        let outcome = try Self.run(Self.rollout, aws)
        let dev = outcome.lines.filter { $0["org"] as? String == "dev" }
        #expect(dev.count == 4)
        #expect(dev.allSatisfy { ($0["error"] as? [String: Any])?["code"] as? String == "InvalidClientTokenId" })
        #expect(dev.allSatisfy { ($0["error"] as? [String: Any])?["httpStatus"] as? Int == 403 })
        #expect(outcome.statuses(org: "prod")["changed"] == 8)
    }

    @Test func planWritesNothingAndKnowsContactsAwaitTrustedAccess() throws {
        let aws = Self.world()
        let plan = try Self.run(Self.rollout, aws, mode: .plan)
        #expect(aws.writes.isEmpty)
        #expect(plan.statuses() == ["would-change": 16, "skipped": 2])
        let member = try #require(plan.lines.first { $0["account"] as? String == "100000000002" })
        #expect((member["reason"] as? String)?.contains("until trusted access") == true)
        let management = try #require(plan.lines.first { $0["account"] as? String == "100000000000" })
        #expect(management["reason"] is NSNull)  // read without AccountId, so known
    }

    @Test func absentContactsAndDeregistration() throws {
        let aws = Self.world()
        _ = try Self.run(Self.rollout, aws, orgs: ["dev"])
        let removal = """
            orgs: [{name: dev, profile: dev, vars: {admin: "200000000001"}}]
            actions:
              - alternateContact: {type: BILLING, state: absent}
              - delegatedAdmin: {servicePrincipal: account.amazonaws.com, account: "${admin}", state: deregistered}
            """
        let outcome = try Self.run(removal, aws)
        #expect(outcome.statuses() == ["changed": 4])
        #expect(aws.org("200000000000").contacts["200000000001"]?["BILLING"] == nil)
        #expect(aws.org("200000000000").admins["account.amazonaws.com"]?.isEmpty == true)
        let again = try Self.run(removal, aws)
        #expect(again.statuses() == ["unchanged": 4])
    }

    @Test func auditReportsCurrentStateAndWritesNothing() throws {
        let aws = Self.world()
        _ = try Self.run(Self.rollout, aws, orgs: ["dev"])
        let writes = aws.writes.count
        let audit = try Self.run("orgs: [{name: dev, profile: dev}]\nactions:\n  - audit:\n", aws)
        #expect(aws.writes.count == writes)
        #expect(audit.statuses() == ["unchanged": 4])  // the org, and three accounts
        let org = try #require(audit.lines.first { $0["account"] is NSNull })
        let state = try #require(org["before"] as? [String: Any])
        #expect(state["trustedAccess"] as? [String] == ["account.amazonaws.com"])
        let member = try #require(audit.lines.first { $0["account"] as? String == "200000000002" })
        let contacts = try #require(member["before"] as? [String: Any])
        #expect((contacts["SECURITY"] as? [String: String])?["name"] == "Sec")
        #expect(contacts["OPERATIONS"] is NSNull)
    }

    @Test func targetsByOUAndExclusions() throws {
        let aws = FakeAWS()
        var org = FakeAWS.Org(
            id: "o-tree000001", management: "300000000000",
            members: [
                .init(id: "300000000001", parent: "ou-web"), .init(id: "300000000002", parent: "ou-prod"),
                .init(id: "300000000003", parent: "r-tree"),
            ])
        org.ous = ["ou-prod": ("Prod", "r-tree"), "ou-web": ("Web", "ou-prod")]
        org.trusted = ["account.amazonaws.com"]
        aws.add(org)
        let job = """
            orgs: [{name: tree, profile: tree}]
            targets: {ous: [Prod], exclude: {accounts: ["300000000002"]}}
            actions:
              - alternateContact: {type: SECURITY, name: S, title: T, email: s@example.com, phone: "1"}
            """
        let outcome = try Self.run(job, aws, profiles: ["tree": "300000000000"])
        #expect(outcome.lines.compactMap { $0["account"] as? String } == ["300000000001"])
    }

    @Test func cancellingFinishesInFlightTasksAndReportsTheRestCancelled() throws {
        let aws = Self.world()
        let cancelled = Mutex(false)
        let outcome = try Self.run(Self.rollout, aws, concurrency: 2) { runner in
            aws.hook.withLock {
                $0 = { call in
                    guard call.hasSuffix(":PutAlternateContact") else { return }
                    cancelled.withLock { done in
                        if !done { runner.cancel() }
                        done = true
                    }
                }
            }
        }
        #expect(outcome.summary.cancelled)
        #expect(outcome.lines.count == 18)
        #expect(Set(outcome.identities).count == 18)
        let statuses = outcome.statuses()
        #expect((statuses["cancelled"] ?? 0) > 0)
        #expect(statuses["failed"] == nil)
        // What was reported changed was really written.
        let changedPuts = outcome.lines.filter { $0["status"] as? String == "changed" && $0["action"] as? String == "alternateContact" }
        #expect(changedPuts.count == aws.writes.filter { $0.contains("PutAlternateContact") }.count)
    }

    @Test func manyOrganizationsManyWorkersEveryTaskOnce() throws {
        let aws = FakeAWS()
        var orgsYAML = "orgs:\n"
        var profiles: [String: String] = [:]
        for index in 0..<12 {
            let management = String(format: "4%011d", index * 100)
            aws.add(
                .init(
                    id: "o-many\(String(format: "%06d", index))", management: management,
                    members: (1...9).map { .init(id: String(format: "4%011d", index * 100 + $0), parent: "r-many") }))
            orgsYAML += "  - {name: org\(index), profile: p\(index)}\n"
            profiles["p\(index)"] = management
        }
        let job = orgsYAML + """
            actions:
              - trustedAccess: {servicePrincipal: account.amazonaws.com}
              - alternateContact: {type: OPERATIONS, name: Ops, title: Ops, email: ops@example.com, phone: "+1 1"}
            """
        let outcome = try Self.run(job, aws, profiles: profiles, concurrency: 16)
        #expect(outcome.lines.count == 12 * (1 + 10))
        #expect(Set(outcome.identities).count == outcome.lines.count)
        #expect(outcome.statuses() == ["changed": 132])
    }

    @Test func aDelegatedAdministratorCallerSkipsTheManagementAccount() throws {
        let aws = Self.world()
        _ = try Self.run(Self.rollout, aws, orgs: ["prod"])
        let contactsOnly = """
            orgs: [{name: prod, profile: prod-admin}]
            actions:
              - alternateContact: {type: OPERATIONS, name: Ops, title: Ops, email: ops@example.com, phone: "+1 1"}
            """
        let outcome = try Self.run(contactsOnly, aws, profiles: ["prod-admin": "100000000001"])
        let management = try #require(outcome.lines.first { $0["account"] as? String == "100000000000" })
        #expect(management["status"] as? String == "skipped")
        #expect((management["reason"] as? String)?.contains("management account") == true)

        let withOrgLevel = try Self.run(Self.rollout, aws, profiles: ["prod": "100000000001", "dev": "200000000000"], orgs: ["prod"])
        let line = try #require(withOrgLevel.lines.first)
        #expect((line["error"] as? [String: Any])?["code"] as? String == "preflight.needs-management-account")
    }
}
