import Foundation
import Testing

/// `--cpus`: where a running orgbatch's threads may run, read from /proc while it waits on
/// slow answers. Linux only.
@Suite(
    "--cpus: the run's threads on one CPU, or on every one",
    .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/task")))
struct CPUPlacementIntegrationTests {
    /// A thread's `Cpus_allowed_list` (`0-1`, `3`) from its /proc status file.
    static func allowedList(status path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("Cpus_allowed_list:") {
            return line.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// The CPUs a list such as `0-2,5` names.
    static func cpus(_ list: String) -> Set<Int> {
        var cpus = Set<Int>()
        for part in list.split(separator: ",") {
            let bounds = part.split(separator: "-").compactMap { Int($0) }
            if let first = bounds.first { cpus.formUnion(first...(bounds.last ?? first)) }
        }
        return cpus
    }

    /// Runs a job against answers 300 ms slow and, once its first lines are written, reads
    /// every thread's CPU list while the run still has most of its tasks ahead. Returns them,
    /// with what the run said on standard error.
    func threadCPULists(_ flags: [String]) throws -> (lists: [String], stderr: String) {
        let aws = try FaultyAWS(["orgs": 2, "accounts": 20, "latency_ms": 300, "seed": 21, "trusted": true])
        let report = aws.folder.appendingPathComponent("report.jsonl").path
        let stderr = aws.folder.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try OrgBatchBinary.path())
        process.arguments =
            ["run", try aws.job(ResilienceIntegrationTests.contact), "--report", report, "--no-progress", "--no-lock", "--log-level", "debug"]
            + flags
        process.environment = aws.environment
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        try ResilienceIntegrationTests.waitForLines(report, atLeast: 2)
        let tasks = "/proc/\(process.processIdentifier)/task"
        let lists = try FileManager.default.contentsOfDirectory(atPath: tasks).compactMap {
            Self.allowedList(status: "\(tasks)/\($0)/status")
        }
        #expect(process.isRunning, "read after the run ended")
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = try String(contentsOfFile: report, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2 * 21)
        return (lists, try String(contentsOf: stderr, encoding: .utf8))
    }

    @Test func byDefaultEveryThreadRunsOnTheSameSingleCPU() throws {
        let ours = try #require(Self.allowedList(status: "/proc/self/status"))
        let run = try threadCPULists([])
        #expect(run.lists.count > 4, "the workers' threads: \(run.lists)")
        guard Self.cpus(ours).count > 1 else {
            #expect(Set(run.lists) == [ours])  // one CPU allowed: left as it is
            return
        }
        #expect(Set(run.lists).count == 1, "\(run.lists)")
        let cpu = try #require(run.lists.first)
        #expect(Self.cpus(cpu).count == 1)
        #expect(Self.cpus(cpu).isSubset(of: Self.cpus(ours)))
        #expect(run.stderr.contains("threads kept on CPU \(cpu) of \(ours) (--cpus 1; --cpus all for every one)"), "\(run.stderr)")
    }

    @Test func cpusAllLeavesEveryThreadWhereTheProcessMayRun() throws {
        let ours = try #require(Self.allowedList(status: "/proc/self/status"))
        let run = try threadCPULists(["--cpus", "all"])
        #expect(run.lists.count > 4)
        #expect(Set(run.lists) == [ours], "\(run.lists)")
        #expect(!run.stderr.contains("threads kept"))
    }
}
