import ArgumentParser
import Foundation
import OrgBatch
import OrgBatchCurl

struct WhoAmICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Show the identity and organization a profile reaches, and where its credentials and endpoints come from."
    )

    @Option(help: "The shared-config profile to use (default: AWS_PROFILE, then 'default').")
    var profile: String?

    @Option(help: "Send every request to this endpoint (https, or http to a loopback address).")
    var endpointURL: String?

    func run() throws {
        do {
            let result = try WhoAmI.run(
                .init(profile: profile, endpointURL: endpointURL),
                environment: ProcessInfo.processInfo.environment, transportFactory: CurlTransportFactory())
            print(result.jsonLine)
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("orgbatch: \(error.description) [\(error.code.rawValue)]\n".utf8))
            throw ExitCode(64)
        } catch let error as AWSError {
            FileHandle.standardError.write(Data("orgbatch: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}
