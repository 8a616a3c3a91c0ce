import Foundation

/// The built `orgbatch` executable, beside the test bundle.
enum OrgBatchBinary {
    static func path() throws -> String {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if folder.lastPathComponent.hasSuffix(".xctest") { folder.deleteLastPathComponent() }
        let binary = folder.appendingPathComponent("orgbatch").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw LocalAWS.Failure(description: "no orgbatch executable at \(binary); run `swift build` first")
        }
        return binary
    }
}
