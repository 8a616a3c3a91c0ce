import Foundation
import Testing

/// orgbatch against an AWS that misbehaves on purpose (tools/faultyaws): faults, throttling,
/// interrupts, kill -9 and resume, revoked credentials.
@Suite("Surviving faults, throttling and interrupts")
struct ResilienceIntegrationTests {
    static let contact = """
          - alternateContact: {type: SECURITY, name: Sec, title: Security, email: sec@example.com, phone: "+1 206 555 0100"}

        """

    struct Run {
        var status: Int32
        var lines: [[String: Any]]
        var stderr: String

        func count(_ status: String) -> Int { lines.filter { $0["status"] as? String == status }.count }

        var identities: [String] {
            lines.map { "\($0["org"]!)|\($0["account"] as? String ?? "-")|\($0["action"]!)|\($0["params"]!)" }
        }
    }

    static func orgbatch(_ arguments: [String], _ aws: FaultyAWS) throws -> Run {
        let result = try LocalAWS.run(try OrgBatchBinary.path(), arguments + ["--no-progress", "--no-lock"], environment: aws.environment)
        return Run(status: result.status, lines: parse(result.stdout), stderr: result.stderr)
    }

    static func parse(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test func serverErrorsAndDroppedConnectionsStillCompleteEveryTaskOnce() throws {
        let aws = try FaultyAWS([
            "orgs": 3, "accounts": 40, "latency_ms": 2, "seed": 11,
            "error500_rate": 0.02, "drop_before_rate": 0.005, "drop_after_rate": 0.005,
        ])
        let job = try aws.job("  - trustedAccess: {servicePrincipal: account.amazonaws.com}\n" + Self.contact)
        let run = try Self.orgbatch(["run", job], aws)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.lines.count == 3 * (1 + 41))
        #expect(Set(run.identities).count == run.lines.count)
        #expect(run.count("changed") == run.lines.count)
        // The faults really happened.
        #expect(try aws.count("error500") > 0)
        #expect(try aws.count("drop_before") + (try aws.count("drop_after")) > 0)
        // Every target written; a write is repeated only when its answer was lost.
        let writes = try aws.writes()
        #expect(writes.count == run.lines.count)
        let dropsAfterWrite = try aws.count("drop_after")
        #expect(writes.values.filter { $0 > 1 }.count <= dropsAfterWrite)
    }

    @Test func anUnknownLimitIsDiscoveredWithFewThrottles() throws {
        let aws = try FaultyAWS([
            "orgs": 3, "accounts": 40, "latency_ms": 20, "seed": 12, "trusted": true,
            "throttle": ["rate": 10, "burst": 10, "per": "org"],
        ])
        let run = try Self.orgbatch(["run", try aws.job(Self.contact)], aws)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.count("changed") == 3 * 41)
        let requests = try aws.count("requests")
        let throttled = try aws.count("throttled")
        #expect(throttled > 0 || requests > 0)
        #expect(Double(throttled) < 0.05 * Double(requests), "\(throttled) of \(requests) calls throttled")
        let reported = run.lines.reduce(0) { $0 + ($1["throttled"] as? Int ?? 0) }
        #expect(reported == throttled)
    }

    @Test func aConfiguredLimitIsKeptWithAlmostNoThrottles() throws {
        let aws = try FaultyAWS([
            "orgs": 3, "accounts": 40, "latency_ms": 20, "seed": 13, "trusted": true,
            "throttle": ["rate": 10, "burst": 10, "per": "org"],
        ])
        let run = try Self.orgbatch(["run", try aws.job(Self.contact), "--rate-limit", "account:*=5"], aws)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.count("changed") == 3 * 41)
        let requests = try aws.count("requests")
        let throttled = try aws.count("throttled")
        #expect(Double(throttled) < 0.01 * Double(requests), "\(throttled) of \(requests) calls throttled")
    }

    @Test func revokedCredentialsFailThatOrgFastWhileTheOthersFinish() throws {
        let aws = try FaultyAWS([
            "orgs": 2, "accounts": 60, "latency_ms": 5, "seed": 14, "trusted": true,
            "revoke_after": ["700000001000": 20],
        ])
        let run = try Self.orgbatch(["run", try aws.job(Self.contact)], aws)
        #expect(run.status == 1)
        let org0 = run.lines.filter { $0["org"] as? String == "org0" }
        let org1 = run.lines.filter { $0["org"] as? String == "org1" }
        #expect(org0.count == 61 && org0.allSatisfy { $0["status"] as? String == "changed" })
        #expect(org1.count == 61)
        let failed = org1.filter { $0["status"] as? String == "failed" }
        #expect(!failed.isEmpty)
        #expect(failed.allSatisfy { ($0["error"] as? [String: Any])?["code"] as? String == "InvalidClientTokenId" })
        // Fail fast: once rejected, the org's remaining tasks are not sent, so only the
        // requests already under way meet the revoked key.
        let revoked = try aws.count("revoked")
        #expect(revoked <= 20, "\(revoked) requests after the revocation")
        #expect(failed.contains { ($0["reason"] as? String)?.contains("credentials were rejected") == true })
    }

    @Test func anInterruptGivesACompleteReportWithinTheGracePeriod() throws {
        let aws = try FaultyAWS(["orgs": 2, "accounts": 40, "latency_ms": 150, "seed": 15, "trusted": true])
        let report = aws.folder.appendingPathComponent("report.jsonl").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try OrgBatchBinary.path())
        process.arguments = ["run", try aws.job(Self.contact), "--report", report, "--no-progress", "--no-lock", "--grace", "5"]
        process.environment = aws.environment
        process.standardError = FileHandle.nullDevice
        try process.run()
        try Self.waitForLines(report, atLeast: 5)
        process.interrupt()
        let interruptedAt = Date()
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(Date().timeIntervalSince(interruptedAt) < 5 + 2)
        let lines = Self.parse(try String(contentsOfFile: report, encoding: .utf8))
        #expect(lines.count == 2 * 41)
        let identities = lines.map { "\($0["org"]!)|\($0["account"] as? String ?? "-")" }
        #expect(Set(identities).count == lines.count)
        let cancelled = lines.filter { $0["status"] as? String == "cancelled" }
        #expect(!cancelled.isEmpty)
        #expect(lines.allSatisfy { ["changed", "cancelled"].contains($0["status"] as? String) })
        // What the report calls changed was written, and nothing it calls cancelled was.
        let written = Set(try aws.writes().keys.map { String($0.split(separator: ":")[2]) })
        for line in lines {
            let account = line["account"] as! String
            #expect(written.contains(account) == (line["status"] as? String == "changed"), "\(account)")
        }
    }

    @Test func killedThenResumedCompletesWithoutRewritingFinishedTasks() throws {
        let aws = try FaultyAWS(["orgs": 2, "accounts": 40, "latency_ms": 100, "seed": 16, "trusted": true])
        let job = try aws.job(Self.contact)
        let report = aws.folder.appendingPathComponent("report.jsonl").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try OrgBatchBinary.path())
        process.arguments = ["run", job, "--report", report, "--no-progress", "--no-lock"]
        process.environment = aws.environment
        process.standardError = FileHandle.nullDevice
        try process.run()
        try Self.waitForLines(report, atLeast: 10)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let before = Self.parse(try String(contentsOfFile: report, encoding: .utf8))
        #expect(before.count < 2 * 41)
        let writesAtKill = try aws.writes()

        let resumed = try Self.orgbatch(["run", job, "--resume", report], aws)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("tasks were already done (--resume)"))
        let lines = Self.parse(try String(contentsOfFile: report, encoding: .utf8))
        let finished = lines.filter { ["changed", "unchanged"].contains($0["status"] as? String) }
        let accounts = finished.map { $0["account"] as! String }
        #expect(Set(accounts).count == 2 * 41)
        #expect(accounts.count == 2 * 41)  // no finished task written twice
        // No write repeated for a task the first run had finished (and reported).
        let finishedFirst = Set(before.compactMap { $0["status"] as? String == "changed" ? $0["account"] as? String : nil })
        for (key, count) in try aws.writes() where finishedFirst.contains(String(key.split(separator: ":")[2])) {
            #expect(count == writesAtKill[key], "\(key) written again")
        }
    }

    /// Waits (at most 30 s) until `path` holds `count` lines.
    static func waitForLines(_ path: String, atLeast count: Int) throws {
        let deadline = Date() + 30
        while Date() < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8), text.split(separator: "\n").count >= count { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw LocalAWS.Failure(description: "\(path) did not reach \(count) lines")
    }
}
