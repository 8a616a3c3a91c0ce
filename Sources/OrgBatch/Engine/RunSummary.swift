/// What a finished run tells its caller.
public struct RunSummary: Sendable {
    public var tally: RunTally
    public var seconds: Double
    /// The run was interrupted; unfinished tasks are reported `cancelled`.
    public var cancelled: Bool
    /// Tasks not run because the report being resumed shows them finished.
    public var resumedTasks: Int = 0
}
