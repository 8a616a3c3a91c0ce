/// How many CPUs a run's threads may use (`--cpus`).
public enum CPULimit: Equatable, Sendable, CustomStringConvertible {
    /// Every CPU the process may use: its placement is left as it is.
    case all
    /// At most this many CPUs (1 or more).
    case count(Int)

    /// The most CPUs a limit can name: a Linux CPU set holds 1,024.
    public static let maximumCount = 1024

    /// `all`, or a count from 1 to 1,024.
    public init?(_ text: String) {
        if text == "all" {
            self = .all
            return
        }
        guard let count = Int(text), (1...Self.maximumCount).contains(count) else { return nil }
        self = .count(count)
    }

    public var description: String {
        switch self {
        case .all: "all"
        case .count(let count): String(count)
        }
    }
}
