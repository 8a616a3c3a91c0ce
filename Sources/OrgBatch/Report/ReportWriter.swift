import Synchronization

/// The one serial writer of the report: encodes each line, writes it and keeps the tally.
///
/// Workers call `write` from many threads; the lock makes lines whole and ordered.
public final class ReportWriter: Sendable {
    private struct State {
        var sink: any ReportSink
        var tally = RunTally()
    }

    private let state: Mutex<State>
    let redactor: Redactor?

    public init(sink: sending any ReportSink, redact: Bool = false) {
        state = Mutex(State(sink: sink))
        redactor = redact ? Redactor() : nil
    }

    public func write(_ line: ReportLine) {
        var line = line
        if let redactor {
            line.before = redactor.redact(line.before)
            line.after = redactor.redact(line.after)
        }
        let text = line.json.text
        state.withLock { state in
            state.sink.write(line: text)
            state.tally.add(line)
        }
    }

    /// Raises the number of tasks known so far.
    public func expect(_ count: Int) {
        state.withLock { $0.tally.expected += count }
    }

    public var tally: RunTally { state.withLock { $0.tally } }
}
