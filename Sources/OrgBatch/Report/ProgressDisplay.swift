import Foundation

/// The one-line progress display on a terminal's standard error:
/// `  812/3000 tasks  240/s  throttled 3  failed 0  ETA 9s`, redrawn twice a second.
final class ProgressDisplay: @unchecked Sendable {
    // @unchecked Sendable: `timer` is set up once in init and then only resumed and cancelled,
    // which DispatchSource allows from any thread; everything else is immutable.
    private let writer: ReportWriter
    private let clock: any WallClock
    private let output: @Sendable (String) -> Void
    private let timer: DispatchSourceTimer
    private let queue = DispatchQueue(label: "orgbatch.progress")
    private let startTime: Date

    init(writer: ReportWriter, clock: any WallClock, output: @escaping @Sendable (String) -> Void) {
        self.writer = writer
        self.clock = clock
        self.output = output
        startTime = clock.now()
        timer = DispatchSource.makeTimerSource(queue: queue)
    }

    func start() {
        timer.schedule(deadline: .now() + 0.5, repeating: 0.5)
        timer.setEventHandler { [self] in draw() }
        timer.resume()
    }

    func stop() {
        timer.cancel()
        queue.sync {}  // a redraw under way finishes before the line is cleared
        output("\r\u{1B}[K", terminator: false)
    }

    private func draw() {
        let tally = writer.tally
        let seconds = max(clock.now().timeIntervalSince(startTime), 0.001)
        let rate = Double(tally.total) / seconds
        let remaining = max(tally.expected - tally.total, 0)
        let eta = rate > 0 ? "\(Int((Double(remaining) / rate).rounded()))s" : "?"
        output(
            "\r\u{1B}[K  \(tally.total)/\(tally.expected) tasks  \(Int(rate))/s  throttled \(tally.throttled)  "
                + "failed \(tally.count(.failed))  ETA \(eta)", terminator: false)
    }
}

extension ProgressDisplay {
    fileprivate func output(_ text: String, terminator: Bool) {
        output(terminator ? text + "\n" : text)
    }
}
