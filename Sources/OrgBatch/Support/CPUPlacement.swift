/// Keeps every thread of the process on a few CPUs (`--cpus`; the command line's default is 1).
///
/// orgbatch's threads mostly wait on the network: S1's 3,000 requests keep one CPU under a tenth
/// busy. Spread over several CPUs, the same work costs more CPU time: wake-ups cross CPUs, and
/// each thread's data moves between their caches. On the benchmark's two-CPU virtual machine,
/// one CPU cut the CPU time per request by a third or more, for libcurl alone as for orgbatch,
/// at the same wall time (BENCHMARKS.md, twelfth session).
///
/// The CPUs are taken from those the process may use (a `taskset` or a container's cpuset
/// stays in force), starting with the one the caller runs on.
public struct CPUPlacement: Sendable {
    public enum Outcome: Equatable, Sendable {
        /// Left as it was: `all`, or no more CPUs allowed than the limit.
        case unchanged
        /// Every thread now runs on `cpus`, of the `allowed` ones.
        case kept(cpus: [Int], allowed: [Int])
        /// The system refused; the threads run where they ran.
        case failed(ThreadAffinityError)
    }

    private let affinity: any ThreadAffinity

    public init(affinity: any ThreadAffinity = SystemThreadAffinity()) {
        self.affinity = affinity
    }

    /// Places the process's threads, the calling one first: the threads it starts from then on
    /// inherit its CPUs.
    public func apply(_ limit: CPULimit) -> Outcome {
        guard case .count(let count) = limit else { return .unchanged }
        do throws(ThreadAffinityError) {
            let allowed = try affinity.allowedCPUs(thread: 0)
            guard allowed.count > count else { return .unchanged }
            let cpus = Self.choose(count, from: allowed, current: affinity.currentCPU())
            try affinity.setAllowedCPUs(cpus, thread: 0)
            for thread in try affinity.threads() {
                do {
                    try affinity.setAllowedCPUs(cpus, thread: thread)
                } catch where error.isNoSuchThread {
                    continue  // it ended in the meantime
                }
            }
            return .kept(cpus: cpus, allowed: allowed)
        } catch {
            return .failed(error)
        }
    }

    /// `count` of the `allowed` CPUs (ascending, non-empty): the current one if allowed, then
    /// the next ones in order, wrapping around. In ascending order.
    static func choose(_ count: Int, from allowed: [Int], current: Int?) -> [Int] {
        let start = current.flatMap { allowed.firstIndex(of: $0) } ?? 0
        return (0..<min(count, allowed.count)).map { allowed[(start + $0) % allowed.count] }.sorted()
    }

    /// A CPU list as Linux writes one (`0-3,8`).
    public static func describe(_ cpus: [Int]) -> String {
        var ranges: [String] = []
        var index = 0
        while index < cpus.count {
            var end = index
            while end + 1 < cpus.count && cpus[end + 1] == cpus[end] + 1 { end += 1 }
            ranges.append(end == index ? "\(cpus[index])" : "\(cpus[index])-\(cpus[end])")
            index = end + 1
        }
        return ranges.joined(separator: ",")
    }
}
