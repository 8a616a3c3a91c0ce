import ArgumentParser
import OrgBatch

import Foundation

@main
struct OrgBatchCommand: ParsableCommand {
    static func main() {
        // A peer closing a kept-alive TLS connection must fail that request, not kill the run:
        // with CURLOPT_NOSIGNAL, libcurl leaves SIGPIPE to the program.
        signal(SIGPIPE, SIG_IGN)
        limitMallocArenas()
        main(nil)
    }

    static let configuration = CommandConfiguration(
        commandName: "orgbatch",
        abstract: "Apply trusted access, delegated administrators and alternate contacts across many AWS Organizations.",
        version: OrgBatchVersion.current,
        subcommands: [ValidateCommand.self, PlanCommand.self, RunCommand.self, WhoAmICommand.self]
    )
}
