import Foundation

/// A Python server of ours (tools/localaws, tools/faultyaws) started for tests: it prints one
/// JSON line with its endpoint when ready, and exits when its standard input closes, so it
/// never outlives the test process.
struct PythonServer {
    let process: Process
    /// Kept open for the server's life; closing it stops the server.
    let stdin: Pipe
    let endpoint: String

    /// Starts `python3 script arguments…` and waits for its ready line.
    static func start(_ script: String, _ arguments: [String]) throws -> PythonServer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw LocalAWS.Failure(description: "cannot start python3 \(script): \(error); run `make test`, which installs what it needs")
        }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        guard let ready = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
            let endpoint = ready["endpoint"] as? String
        else {
            throw LocalAWS.Failure(
                description: "\(script) did not start (is moto installed? `make test` installs it): \(String(decoding: line, as: UTF8.self))")
        }
        return PythonServer(process: process, stdin: stdin, endpoint: endpoint)
    }

    func stop() {
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
