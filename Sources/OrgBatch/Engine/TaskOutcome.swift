/// How one executed task ended, before it becomes a report line.
struct TaskOutcome: Sendable {
    var status: TaskStatus
    var before: JSONValue = .null
    var after: JSONValue = .null
    var reason: String?
    var error: ReportedError?

    static func failed(_ error: AWSError) -> TaskOutcome {
        TaskOutcome(status: .failed, error: ReportedError(error))
    }
}
