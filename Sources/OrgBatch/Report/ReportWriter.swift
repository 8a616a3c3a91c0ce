import Foundation
import Synchronization

/// The one serial writer of the report: encodes each line, writes it and keeps the tally.
///
/// Workers call it from many threads; the lock makes lines whole and ordered. It also keeps
/// the exactly-once promise when a run is abandoned: every task handed to a worker is
/// registered (`begin`) in the worker's `TaskSlot` with the line to write if it never
/// finishes; `abandonInFlight` writes those lines and from then on ignores the workers, so a
/// late worker cannot add a second line for the same task.
public final class ReportWriter: @unchecked Sendable {
    // @unchecked Sendable: every mutable field is in `state`, read and written only while
    // `lock` is held (`withState`); `redactor` is a constant.
    /// One worker's task under way. Each worker has its own, so registering a task takes a
    /// lock no other worker uses (the writer's lock is shared by every worker's lines, and
    /// taking it once more per task made workers queue for it). A slot changes under its own
    /// lock; a line's fate (written, or ignored after the run was abandoned) is decided under
    /// the writer's lock and then the slot's, always in that order.
    final class TaskSlot: Sendable {
        /// The task's id, and how to make its `cancelled` line.
        fileprivate typealias Task = (id: Int, cancelled: @Sendable () -> ReportLine)
        fileprivate let task = Mutex<Task?>(nil)
    }

    private struct State {
        var sink: any ReportSink
        var tally = RunTally()
        /// Every worker's slot, for `abandonInFlight`.
        var slots: [TaskSlot] = []
        /// Workers' lines are ignored (the run was abandoned after its grace period).
        var workersIgnored = false
        /// A line could not be written (disk full, closed pipe): the report is incomplete.
        var writeFailed = false
    }

    /// A pthread mutex, not `Mutex`: lines are written to the sink while it is held, a system
    /// call of some microseconds, and workers finishing together contend for it. `Mutex` spins
    /// a thousand `pause`s (tens of microseconds on these CPUs) before it sleeps; a pthread
    /// mutex sleeps at once.
    private let lock = NSLock()
    private var state: State
    let redactor: Redactor?

    public init(sink: sending any ReportSink, redact: Bool = false) {
        state = State(sink: sink)
        redactor = redact ? Redactor() : nil
    }

    private func withState<Result>(_ body: (inout State) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&state)
    }

    /// Writes a line decided outside any worker (skipped, failed preflight, cancelled).
    public func write(_ line: ReportLine) {
        let bytes = encode(line)
        withState { Self.put(bytes, line, into: &$0) }
    }

    /// Writes a line already encoded by another writer (a plan kept in a temporary file).
    func copyEncoded(_ text: String) {
        withState { state in
            if !state.sink.write(line: text) { state.writeFailed = true }
        }
    }

    /// A worker's slot, made once when the worker starts.
    func makeSlot() -> TaskSlot {
        let slot = TaskSlot()
        withState { $0.slots.append(slot) }
        return slot
    }

    /// A worker takes task `id`; `cancelled` makes its line should the run be abandoned (made
    /// only then: most tasks finish).
    func begin(_ id: Int, in slot: TaskSlot, cancelled: @escaping @Sendable () -> ReportLine) {
        slot.task.withLock { $0 = (id, cancelled) }
    }

    /// A worker's line for task `id`; ignored once the run was abandoned.
    /// - Returns: false when the report has lost a line (this one or an earlier one).
    @discardableResult
    func finish(_ id: Int, in slot: TaskSlot, _ line: ReportLine) -> Bool {
        let bytes = encode(line)
        return withState { state in
            if !state.workersIgnored, Self.take(slot)?.id == id {
                Self.put(bytes, line, into: &state)
            }
            return !state.writeFailed
        }
    }

    /// Reports every task still under way as cancelled and ignores the workers from now on.
    func abandonInFlight() {
        withState { state in
            state.workersIgnored = true
            for (_, cancelled) in state.slots.compactMap(Self.take).sorted(by: { $0.id < $1.id }) {
                let line = cancelled()
                Self.put(encode(line), line, into: &state)
            }
        }
    }

    /// Empties a slot (called with the writer's lock held), returning its task.
    private static func take(_ slot: TaskSlot) -> TaskSlot.Task? {
        slot.task.withLock { task in
            defer { task = nil }
            return task
        }
    }

    /// Raises the number of tasks known so far.
    public func expect(_ count: Int) {
        withState { $0.tally.expected += count }
    }

    public var tally: RunTally { withState { $0.tally } }

    /// Whether a line failed to reach the report.
    public var writeFailed: Bool { withState { $0.writeFailed } }

    /// The line's JSON as UTF-8 bytes, handed to the sink as they are (a line is written for
    /// every task: no `String` is made of it).
    private func encode(_ line: ReportLine) -> [UInt8] {
        guard let redactor else { return line.bytes }
        var line = line
        line.before = redactor.redact(line.before)
        line.after = redactor.redact(line.after)
        return line.bytes
    }

    private static func put(_ bytes: [UInt8], _ line: ReportLine, into state: inout State) {
        if !bytes.withUnsafeBytes({ state.sink.write(encoded: $0) }) { state.writeFailed = true }
        state.tally.add(line)
    }
}
