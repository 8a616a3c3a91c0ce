/// orgbatch's exit codes.
public enum OrgBatchExit {
    public static let success: Int32 = 0
    /// A task failed (run, plan), or an AWS call failed (whoami).
    public static let failures: Int32 = 1
    /// `plan`: something would change.
    public static let wouldChange: Int32 = 2
    /// `run --max-changes N`: the plan would change more than N things; nothing was written.
    public static let tooManyChanges: Int32 = 3
    /// A bad job file, flag or configuration; no request was sent.
    public static let usage: Int32 = 64
    /// The report could not be written completely (EX_IOERR).
    public static let reportFailed: Int32 = 74
    /// Another run of the same job holds its lock (EX_TEMPFAIL); nothing was done.
    public static let locked: Int32 = 75
    /// Interrupted (SIGINT, SIGTERM); unfinished tasks are reported `cancelled`.
    public static let interrupted: Int32 = 130
}
