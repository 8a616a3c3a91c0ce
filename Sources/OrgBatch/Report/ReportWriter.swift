import Synchronization

/// The one serial writer of the report: encodes each line, writes it and keeps the tally.
///
/// Workers call it from many threads; the lock makes lines whole and ordered. It also keeps
/// the exactly-once promise when a run is abandoned: every task handed to a worker is
/// registered (`begin`) with the line to write if it never finishes; `abandonInFlight`
/// writes those lines and from then on ignores the workers, so a late worker cannot add a
/// second line for the same task.
public final class ReportWriter: Sendable {
    private struct State {
        var sink: any ReportSink
        var tally = RunTally()
        /// Tasks handed out and not yet reported, with how to make their `cancelled` line.
        var inFlight: [Int: @Sendable () -> ReportLine] = [:]
        /// Workers' lines are ignored (the run was abandoned after its grace period).
        var workersIgnored = false
        /// A line could not be written (disk full, closed pipe): the report is incomplete.
        var writeFailed = false
    }

    private let state: Mutex<State>
    let redactor: Redactor?

    public init(sink: sending any ReportSink, redact: Bool = false) {
        state = Mutex(State(sink: sink))
        redactor = redact ? Redactor() : nil
    }

    /// Writes a line decided outside any worker (skipped, failed preflight, cancelled).
    public func write(_ line: ReportLine) {
        let text = encode(line)
        state.withLock { Self.put(text, line, into: &$0) }
    }

    /// Writes a line already encoded by another writer (a plan kept in a temporary file).
    func copyEncoded(_ text: String) {
        state.withLock { state in
            if !state.sink.write(line: text) { state.writeFailed = true }
        }
    }

    /// A worker takes task `id`; `cancelled` makes its line should the run be abandoned (made
    /// only then: most tasks finish).
    func begin(_ id: Int, cancelled: @escaping @Sendable () -> ReportLine) {
        state.withLock { $0.inFlight[id] = cancelled }
    }

    /// A worker's line for task `id`; ignored once the run was abandoned.
    /// - Returns: false when the report has lost a line (this one or an earlier one).
    @discardableResult
    func finish(_ id: Int, _ line: ReportLine) -> Bool {
        let text = encode(line)
        return state.withLock { state in
            if !state.workersIgnored, state.inFlight.removeValue(forKey: id) != nil {
                Self.put(text, line, into: &state)
            }
            return !state.writeFailed
        }
    }

    /// Reports every task still under way as cancelled and ignores the workers from now on.
    func abandonInFlight() {
        state.withLock { state in
            state.workersIgnored = true
            for id in state.inFlight.keys.sorted() {
                let line = state.inFlight[id]!()
                Self.put(encode(line), line, into: &state)
            }
            state.inFlight.removeAll()
        }
    }

    /// Raises the number of tasks known so far.
    public func expect(_ count: Int) {
        state.withLock { $0.tally.expected += count }
    }

    public var tally: RunTally { state.withLock { $0.tally } }

    /// Whether a line failed to reach the report.
    public var writeFailed: Bool { state.withLock { $0.writeFailed } }

    private func encode(_ line: ReportLine) -> String {
        var line = line
        if let redactor {
            line.before = redactor.redact(line.before)
            line.after = redactor.redact(line.after)
        }
        return line.text
    }

    private static func put(_ text: String, _ line: ReportLine, into state: inout State) {
        if !state.sink.write(line: text) { state.writeFailed = true }
        state.tally.add(line)
    }
}
