import Foundation
import Testing

/// The built binary's help, version and flag checks: no AWS needed.
@Suite("The command line")
struct CommandLineTests {
    func orgbatch(_ arguments: [String], environment: [String: String] = [:]) throws -> LocalAWS.RunResult {
        try LocalAWS.run(try OrgBatchBinary.path(), arguments, environment: environment)
    }

    @Test func helpListsTheCommands() throws {
        let help = try orgbatch(["--help"])
        #expect(help.status == 0)
        for command in ["validate", "plan", "run", "whoami"] {
            #expect(help.stdout.contains("  \(command)"))
        }
        let run = try orgbatch(["run", "--help"])
        for flag in ["--report", "--org", "--shard", "--concurrency", "--endpoint-url", "--profile", "--yes", "--max-changes",
            "--redact", "--log-level", "--quiet", "--progress", "--no-progress", "--cpus"]
        {
            #expect(run.stdout.contains(flag), "run --help lacks \(flag)")
        }
        #expect(run.stdout.contains("Exit status"))
    }

    @Test func version() throws {
        let result = try orgbatch(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }

    @Test("bad flags exit 64", arguments: [
        ["plan", "job.yaml", "--shard", "4/3"],
        ["plan", "job.yaml", "--shard", "x"],
        ["run", "job.yaml", "--concurrency", "0"],
        ["run", "job.yaml", "--log-level", "loud"],
        ["run", "job.yaml", "--cpus", "0"],
        ["run", "job.yaml", "--cpus", "some"],
        ["run"],
    ])
    func badFlags(_ arguments: [String]) throws {
        let result = try orgbatch(arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }

    @Test func jobLevelMistakesExit64BeforeAnyRequest() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("orgbatch-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("config").path
        try "[profile a]\nregion = us-east-1\n[profile b]\nregion = us-east-1\n".write(toFile: config, atomically: true, encoding: .utf8)
        let job = folder.appendingPathComponent("job.yaml").path
        try """
            orgs: [{name: a, profile: a}, {name: b, profile: b}]
            actions:
              - alternateContact: {type: BILLING, state: absent}
            """.write(toFile: job, atomically: true, encoding: .utf8)
        // An endpoint nothing listens on: any request would fail with a connection error, not 64.
        let environment = [
            "AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": folder.appendingPathComponent("none").path,
            "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "HOME": folder.path,
        ]
        let unknownOrg = try orgbatch(["plan", job, "--org", "c"], environment: environment)
        #expect(unknownOrg.status == 64)
        #expect(unknownOrg.stderr.contains("no org named 'c'"))
        let profileForTwo = try orgbatch(["plan", job, "--profile", "a"], environment: environment)
        #expect(profileForTwo.status == 64)
        #expect(profileForTwo.stderr.contains("--profile replaces one org's profile"))
        let removal = try orgbatch(["run", job], environment: environment)
        #expect(removal.status == 64)
        #expect(removal.stderr.contains("pass --yes to confirm"))
    }
}
