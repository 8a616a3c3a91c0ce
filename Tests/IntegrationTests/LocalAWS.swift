import Foundation
import OrgBatch
import Synchronization

/// The local AWS (moto behind `tools/localaws`) for integration tests: started once per test
/// process with signature checking on, stopped when the process ends (it exits when its
/// standard input closes).
enum LocalAWS {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The repository root, from this file's place in it.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let script = root.appendingPathComponent("tools/localaws/localaws.py").path

    private static let server = Mutex<Result<String, Failure>?>(nil)
    /// Kept so the pipe to the server's stdin stays open for the life of the test process.
    nonisolated(unsafe) private static var keepAlive: PythonServer?

    /// The server's endpoint, starting it on first use.
    static func endpoint() throws -> String {
        try server.withLock { state in
            if state == nil { state = start() }
            return try state!.get()
        }
    }

    private static func start() -> Result<String, Failure> {
        do {
            let server = try PythonServer.start(script, ["serve", "--port", "0", "--auth", "--exit-on-stdin-eof"])
            keepAlive = server
            return .success(server.endpoint)
        } catch let error as Failure {
            return .failure(error)
        } catch {
            return .failure(Failure(description: "\(error)"))
        }
    }

    /// Runs `localaws.py seed` with `spec` and returns what it created, with the folder
    /// holding the `config` and `credentials` files it wrote.
    static func seed(_ spec: [String: Any]) throws -> Seed {
        let endpoint = try endpoint()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("orgbatch-it-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let specFile = folder.appendingPathComponent("spec.json")
        try JSONSerialization.data(withJSONObject: spec).write(to: specFile)
        let result = try run(
            "/usr/bin/env", ["python3", script, "seed", "--endpoint", endpoint, "--spec", specFile.path, "--out", folder.path])
        guard result.status == 0 else { throw Failure(description: "seeding failed: \(result.stderr)") }
        var seed = try JSONDecoder().decode(Seed.self, from: Data(contentsOf: folder.appendingPathComponent("seed.json")))
        seed.folder = folder
        return seed
    }

    struct RunResult {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a program to completion and captures its output (the library's own runner).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> RunResult {
        let result = try SystemProcessRunner().run(
            [executable] + arguments, environment: environment ?? ProcessInfo.processInfo.environment)
        return RunResult(
            status: result.status, stdout: String(decoding: result.stdout, as: UTF8.self),
            stderr: String(decoding: result.stderr, as: UTF8.self))
    }
}

/// What `localaws.py seed` created (its `seed.json`).
struct Seed: Decodable {
    struct Org: Decodable {
        var name: String
        var profile: String
        var orgId: String
        var managementAccountId: String
        var rootId: String
        var ous: [String: String]
        var accounts: [Account]

        enum CodingKeys: String, CodingKey {
            case name, profile, ous, accounts
            case orgId = "org_id"
            case managementAccountId = "management_account_id"
            case rootId = "root_id"
        }
    }

    struct Account: Decodable {
        var id: String
        var name: String
        var email: String
        var ou: String
        var state: String
    }

    var endpoint: String
    var orgs: [Org]
    var folder: URL = URL(fileURLWithPath: "/")

    enum CodingKeys: String, CodingKey { case endpoint, orgs }

    var configFile: String { folder.appendingPathComponent("config").path }
    var credentialsFile: String { folder.appendingPathComponent("credentials").path }

    /// The environment a user of these profiles would have.
    var environment: [String: String] {
        [
            "AWS_CONFIG_FILE": configFile, "AWS_SHARED_CREDENTIALS_FILE": credentialsFile, "HOME": folder.path,
            "AWS_EC2_METADATA_DISABLED": "true",  // never the real metadata service
        ]
    }

    func org(_ name: String) -> Org { orgs.first { $0.name == name }! }
}
