/// The outcome of one task, as the report names it.
public enum TaskStatus: String, Sendable, CaseIterable {
    /// The desired state was written (`before` and `after` say what changed).
    case changed
    /// The desired state already held; nothing was written.
    case unchanged
    /// `run --write-only`: the desired state was written without reading the current one.
    case written
    /// `plan` only: a `run` would change this.
    case wouldChange = "would-change"
    case failed
    /// Not attempted, for the reason given (an account not ACTIVE, an earlier step that failed).
    case skipped
    /// Not attempted because the run was interrupted.
    case cancelled
}
