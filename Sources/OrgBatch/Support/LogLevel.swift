/// How much orgbatch says on standard error.
public enum LogLevel: String, Sendable, CaseIterable, Comparable {
    /// Errors only: no summary, no progress.
    case error
    /// Also warnings.
    case warn
    /// Also the end-of-run summary and one line per organization reached (the default).
    case info
    /// Also one line per failed task.
    case debug

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
