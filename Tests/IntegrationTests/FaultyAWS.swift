import Foundation
import OrgBatch
import OrgBatchCurl

/// One `tools/faultyaws` server for a test: an in-memory AWS that misbehaves as configured
/// (throttles, 500s, dropped connections, slow answers, revoked keys), with a seed so
/// failures reproduce. Stopped when the value goes away (its stdin closes).
final class FaultyAWS {
    let endpoint: String
    let folder: URL
    let orgCount: Int
    private let server: PythonServer

    /// - Parameter config: faultyaws's JSON config (see tools/faultyaws/faultyaws.py); `out`
    ///   is filled in.
    init(_ config: [String: Any]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("orgbatch-faulty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var config = config
        config["out"] = folder.path
        orgCount = config["orgs"] as? Int ?? 2
        let configFile = folder.appendingPathComponent("faults.json")
        try JSONSerialization.data(withJSONObject: config).write(to: configFile)

        server = try PythonServer.start(
            LocalAWS.root.appendingPathComponent("tools/faultyaws/faultyaws.py").path,
            ["serve", "--config", configFile.path, "--exit-on-stdin-eof"])
        endpoint = server.endpoint
    }

    deinit {
        server.stop()
    }

    var environment: [String: String] {
        [
            "AWS_CONFIG_FILE": folder.appendingPathComponent("config").path,
            "AWS_SHARED_CREDENTIALS_FILE": folder.appendingPathComponent("credentials").path, "HOME": folder.path,
            "AWS_EC2_METADATA_DISABLED": "true",  // never the real metadata service
        ]
    }

    /// A job over every organization with `actions` (YAML list items).
    func job(_ actions: String, name: String = "job.yaml") throws -> String {
        var text = "orgs:\n"
        for index in 0..<orgCount { text += "  - {name: org\(index), profile: org\(index)}\n" }
        text += "actions:\n" + actions
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The server's counters: requests, throttled, error500, drop_before, drop_after, writes…
    func stats() throws -> [String: Any] {
        let response = try CurlTransport().send(HTTPRequest(method: "GET", url: endpoint + "/_faulty/stats"))
        return try JSONSerialization.jsonObject(with: Data(response.body)) as! [String: Any]
    }

    func count(_ name: String) throws -> Int { try stats()[name] as? Int ?? 0 }

    /// Times each target was written: `caller:Operation:target:kind` -> n.
    func writes() throws -> [String: Int] { try stats()["writes"] as? [String: Int] ?? [:] }
}
