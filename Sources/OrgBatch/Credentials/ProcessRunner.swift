import Foundation

/// Runs a command and hands back its output: the outside thing behind `credential_process`,
/// behind a protocol so tests can script it.
public protocol ProcessRunner: Sendable {
    /// - Returns: exit status, standard output and standard error.
    func run(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, stdout: Data, stderr: Data)
}

/// Runs real processes (no shell: the command line is split into words first).
public struct SystemProcessRunner: ProcessRunner {
    public init() {}

    public func run(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, stdout: Data, stderr: Data) {
        let process = Process()
        let program = arguments[0]
        if program.contains("/") {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(arguments.dropFirst())
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
        }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes before waiting, so a chatty command never blocks on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var stdout = Data()
        nonisolated(unsafe) var stderr = Data()
        DispatchQueue.global().async(group: group) { stdout = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { stderr = err.fileHandleForReading.readDataToEndOfFile() }
        group.wait()
        process.waitUntilExit()
        return (process.terminationStatus, stdout, stderr)
    }
}
