/// `plan` reads and compares; `run` also writes.
public enum RunMode: String, Sendable {
    case plan
    case run
}
