import ArgumentParser
import OrgBatch

@main
struct OrgBatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orgbatch",
        abstract: "Apply trusted access, delegated administrators and alternate contacts across many AWS Organizations.",
        version: OrgBatchVersion.current,
        subcommands: [ValidateCommand.self, PlanCommand.self, RunCommand.self, WhoAmICommand.self]
    )
}
