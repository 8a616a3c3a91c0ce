import ArgumentParser
import Foundation
import OrgBatch

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check job files offline: schema, values, org names, profiles. Sends no request.")

    @Argument(help: "Job files (YAML, or JSON).")
    var jobs: [String]

    func run() throws {
        let code = ValidateJobs.run(paths: jobs, io: ProcessIO.make())
        if code != 0 { throw ExitCode(code) }
    }
}

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Read every organization and report what a run would change. Writes nothing.",
        discussion: "Exit status: 0 nothing would change, 2 something would, 1 a task failed, 64 bad input, 130 interrupted.")

    @OptionGroup var flags: JobFlags

    func run() throws {
        let io = ProcessIO.make()
        let code = JobCommand.run(try flags.commandOptions(mode: .plan, environment: io.environment), io: io)
        if code != 0 { throw ExitCode(code) }
    }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Apply the job: read, compare and write what differs, in every organization.",
        discussion:
            "Exit status: 0 no task failed, 1 a task failed, 3 --max-changes exceeded (nothing written), 64 bad input, "
            + "74 the report could not be written, 75 another run of the job holds its lock, 130 interrupted.")

    @OptionGroup var flags: JobFlags

    @Flag(help: "Confirm statements that remove settings (needed when standard input is not a terminal).")
    var yes = false

    @Option(help: ArgumentHelp("Plan first, and write nothing if more than N things would change.", valueName: "N"))
    var maxChanges: Int?

    @Flag(help: "Write alternate contacts without reading them first (a first rollout: half the requests; reported 'written').")
    var writeOnly = false

    func run() throws {
        let io = ProcessIO.make()
        var options = try flags.commandOptions(mode: .run, environment: io.environment, yes: yes, maxChanges: maxChanges)
        options.run.writeOnly = writeOnly
        let code = JobCommand.run(options, io: io)
        if code != 0 { throw ExitCode(code) }
    }
}
