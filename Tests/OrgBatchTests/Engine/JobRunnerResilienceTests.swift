import Foundation
import Synchronization
import Testing

@testable import OrgBatch

@Suite("Running jobs when things go wrong (in-memory AWS)")
struct JobRunnerResilienceTests {
    static let contact = """
        orgs:
          - {name: prod, profile: prod}
          - {name: dev, profile: dev}
        actions:
          - alternateContact: {type: SECURITY, name: Sec, title: Security, email: sec@example.com, phone: "+1 555 0100"}
        """

    /// prod (100…) with 40 members, dev (200…) with 40, trusted access on in both.
    static func bigWorld() -> FakeAWS {
        let aws = FakeAWS()
        for (org, management) in [("o-prod000001", "100000000000"), ("o-dev0000001", "200000000000")] {
            aws.add(.trusted(id: org, management: management, members: 40))
        }
        return aws
    }

    static func run(
        _ yaml: String, _ aws: FakeAWS, concurrency: Int = 4, options: (inout RunOptions) -> Void = { _ in },
        sink: any ReportSink & Sendable = MemoryReportSink(), onRunner: (JobRunner) -> Void = { _ in }
    ) throws -> (lines: [[String: Any]], summary: RunSummary, writer: ReportWriter) {
        let config = try FakeAWS.config(JobRunnerTests.profiles)
        let job = try JobLoader(sharedConfig: config).load(text: yaml, path: "job.yaml")
        var runOptions = RunOptions(mode: .run, concurrency: concurrency)
        options(&runOptions)
        let writer = ReportWriter(sink: sink)
        let runner = JobRunner(
            job: job, orgs: job.orgs, options: runOptions, environment: [:], sharedConfig: config, transportFactory: aws,
            writer: writer, clock: ManualClock(), random: FixedRandom(value: 0), runID: "run-2")
        onRunner(runner)
        let summary = runner.run()
        let lines = ((sink as? MemoryReportSink)?.lines ?? []).map {
            try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        return (lines, summary, writer)
    }

    @Test func rejectedCredentialsFailTheRestOfThatOrgWithoutSendingIt() throws {
        let aws = Self.bigWorld()
        aws.fail("200000000000", "GetAlternateContact", .init(status: 403, code: "InvalidClientTokenId", message: "The security token included in the request is invalid."))
        let (lines, _, _) = try Self.run(Self.contact, aws, concurrency: 4)
        let dev = lines.filter { $0["org"] as? String == "dev" }
        #expect(dev.count == 41)
        #expect(dev.allSatisfy { $0["status"] as? String == "failed" })
        #expect(dev.allSatisfy { ($0["error"] as? [String: Any])?["code"] as? String == "InvalidClientTokenId" })
        let notSent = dev.filter { ($0["reason"] as? String)?.contains("credentials were rejected") == true }
        #expect(notSent.count >= 41 - 4)  // only the tasks already under way were sent
        #expect(aws.calls.filter { $0.hasPrefix("200000000000:GetAlternateContact") }.count <= 4)
        #expect(lines.filter { $0["org"] as? String == "prod" }.allSatisfy { $0["status"] as? String == "changed" })
    }

    @Test func resumeSkipsWhatAPreviousReportFinished() throws {
        let aws = Self.bigWorld()
        let finished: Set<String> = [
            LineFactory.identity(org: "prod", account: "100000000001", action: "alternateContact", params: [("type", "SECURITY")]),
            LineFactory.identity(org: "dev", account: "200000000000", action: "alternateContact", params: [("type", "SECURITY")]),
        ]
        let (lines, summary, _) = try Self.run(Self.contact, aws) { $0.finishedBefore = finished }
        #expect(lines.count == 82 - 2)
        #expect(summary.resumedTasks == 2)
        #expect(!lines.contains { $0["account"] as? String == "100000000001" })
        #expect(!aws.calls.contains { $0.hasSuffix(":100000000001") })
    }

    @Test func aStepWithNoTargetSaysSo() throws {
        let aws = Self.bigWorld()
        let yaml = """
            orgs: [{name: prod, profile: prod}]
            targets: {accounts: ["999999999999"]}
            actions:
              - alternateContact: {type: SECURITY, name: Sec, title: Security, email: sec@example.com, phone: "+1 555 0100"}
            """
        let (lines, _, _) = try Self.run(yaml, aws)
        #expect(lines.count == 1)
        #expect(lines[0]["status"] as? String == "skipped")
        #expect(lines[0]["account"] is NSNull)
        #expect((lines[0]["reason"] as? String)?.contains("no target account") == true)
    }

    @Test func workersReallyRunAtOnce() throws {
        let aws = Self.bigWorld()
        let inFlight = Mutex((now: 0, most: 0))
        let release = DispatchSemaphore(value: 0)
        aws.hook.withLock {
            $0 = { call in
                guard call.hasSuffix(":GetAlternateContact") else { return }
                let reached = inFlight.withLock { state -> Bool in
                    state.now += 1
                    state.most = max(state.most, state.now)
                    return state.most >= 8
                }
                if reached { for _ in 0..<8 { release.signal() } }
                _ = release.wait(timeout: .now() + 5)  // hold until eight are in flight together
                inFlight.withLock { $0.now -= 1 }
            }
        }
        let (lines, _, _) = try Self.run(Self.contact, aws, concurrency: 8)
        #expect(inFlight.withLock { $0.most } >= 8)
        #expect(lines.count == 82)
    }

    @Test func aHungRequestIsAbandonedAfterTheGracePeriodAndReportedOnce() throws {
        let aws = Self.bigWorld()
        let hang = DispatchSemaphore(value: 0)
        let sink = MemoryReportSink()
        let hung = Mutex(false)
        let (lines, summary, _) = try Self.run(
            Self.contact, aws, concurrency: 2, options: { $0.graceSeconds = 0.3 }, sink: sink,
            onRunner: { runner in
                aws.hook.withLock {
                    $0 = { call in
                        guard call.hasSuffix("PutAlternateContact"), hung.withLock({ state in
                            defer { state = true }
                            return !state
                        }) else { return }
                        runner.cancel()
                        _ = hang.wait(timeout: .now() + 30)  // a request that does not come back
                    }
                }
            })
        #expect(summary.cancelled)
        #expect(lines.count == 82)
        let identities = lines.map { "\($0["org"]!)|\($0["account"] as? String ?? "-")" }
        #expect(Set(identities).count == 82)
        #expect(lines.contains { ($0["reason"] as? String) == "interrupted while this task was under way" })
        // The hung worker finishing later adds nothing.
        hang.signal()
        Thread.sleep(forTimeInterval: 0.2)
        #expect(sink.lines.count == 82)
    }

    @Test func maxChangesIsEnforcedDuringTheRun() throws {
        let aws = Self.bigWorld()
        let (lines, _, _) = try Self.run(Self.contact, aws) { $0.maxChanges = 5 }
        #expect(lines.filter { $0["status"] as? String == "changed" }.count == 5)
        let skipped = lines.filter { $0["status"] as? String == "skipped" }
        #expect(skipped.count == 82 - 5)
        #expect(skipped.allSatisfy { ($0["reason"] as? String)?.contains("--max-changes 5 reached") == true })
        #expect(aws.writes.count == 5)
    }

    @Test func writeOnlySendsOneRequestPerContact() throws {
        let aws = Self.bigWorld()
        let (lines, _, _) = try Self.run(Self.contact, aws) { $0.writeOnly = true }
        #expect(lines.count == 82)
        #expect(lines.allSatisfy { $0["status"] as? String == "written" && $0["before"] is NSNull })
        #expect(lines.allSatisfy { $0["attempts"] as? Int == 1 })
        #expect(!aws.calls.contains { $0.contains("GetAlternateContact") })
        #expect(aws.org("100000000000").contacts["100000000007"]?["SECURITY"]?["Name"] == "Sec")
    }

    @Test func aReportThatCannotBeWrittenStopsTheRun() throws {
        final class FailingSink: ReportSink, @unchecked Sendable {
            // @unchecked Sendable: called only under ReportWriter's lock.
            var written = 0
            func write(line: String) -> Bool {
                written += 1
                return written <= 3
            }
        }
        let aws = Self.bigWorld()
        let sink = FailingSink()
        let (_, summary, writer) = try Self.run(Self.contact, aws, concurrency: 1, sink: sink)
        #expect(writer.writeFailed)
        #expect(summary.cancelled)
        #expect(aws.writes.count < 10)
    }
}
