/// Counts by organization and status, and throttled responses: the end-of-run summary and
/// the progress line read it.
public struct RunTally: Sendable {
    public private(set) var byOrg: [String: [TaskStatus: Int]] = [:]
    public private(set) var total = 0
    public private(set) var throttled = 0
    /// Tasks known so far (grows as organizations are discovered).
    public var expected = 0

    public init() {}

    mutating func add(_ line: ReportLine) {
        byOrg[line.org, default: [:]][line.status, default: 0] += 1
        total += 1
        throttled += line.throttled
    }

    public func count(_ status: TaskStatus) -> Int {
        byOrg.values.reduce(0) { $0 + ($1[status] ?? 0) }
    }

    /// One line per organization, for standard error:
    /// `prod: 12 changed, 3 unchanged, 1 skipped`.
    public func summary(seconds: Double) -> String {
        var lines: [String] = []
        for org in byOrg.keys.sorted() {
            let counts = TaskStatus.allCases.compactMap { status in
                byOrg[org]![status].map { "\($0) \(status.rawValue)" }
            }
            lines.append("  \(org): " + counts.joined(separator: ", "))
        }
        let rate = seconds > 0 ? Double(total) / seconds : 0
        lines.append(
            "orgbatch: \(total) tasks in \(String(format: "%.1f", seconds)) s (\(String(format: "%.0f", rate))/s), "
                + "\(count(.failed)) failed, \(throttled) throttled responses")
        return lines.joined(separator: "\n")
    }
}
