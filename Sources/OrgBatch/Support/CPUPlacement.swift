/// Keeps every thread of the process on a few CPUs (`--cpus`; the command line's default is 1).
///
/// orgbatch's threads mostly wait on the network: 3,000 requests at 50 ms keep one CPU under a
/// tenth busy. Spread over several CPUs, the same work can cost more CPU time: wake-ups cross
/// CPUs, and each thread's data moves between their caches. On the benchmark's two-CPU virtual
/// machine one CPU saved 7–33 % in the benchmark's S1 runs and up to half in busy-hour pairs,
/// for libcurl alone as for orgbatch; a few single pairs cost more (BENCHMARKS.md, twelfth
/// session).
///
/// The CPUs are taken from those the process may use (a `taskset` or a container's cpuset
/// stays in force), starting with the one the caller runs on. The placement holds for the rest
/// of the process's life.
public struct CPUPlacement: Sendable {
    public enum Outcome: Equatable, Sendable {
        /// Left as it was: `all`, or no more CPUs allowed than the limit.
        case unchanged
        /// The system cannot place threads (not Linux); left as it was.
        case unsupported
        /// Every thread now runs on `cpus`, of the `allowed` ones.
        case kept(cpus: [Int], allowed: [Int])
        /// The system refused. The threads already placed were given back every allowed CPU
        /// (as far as the system let them).
        case failed(ThreadAffinityError)
    }

    /// Passes over the thread list: a thread not yet placed may start another in between.
    static let sweeps = 5

    private let affinity: any ThreadAffinity

    public init(affinity: any ThreadAffinity = SystemThreadAffinity()) {
        self.affinity = affinity
    }

    /// Places the process's threads, the calling one first, so the threads it starts from then
    /// on inherit its CPUs; then every other thread, again until a pass finds none new.
    public func apply(_ limit: CPULimit) -> Outcome {
        guard case .count(let count) = limit else { return .unchanged }
        let allowed: [Int]
        do {
            allowed = try affinity.allowedCPUs(thread: 0)
        } catch {
            return error.isUnsupported ? .unsupported : .failed(error)
        }
        guard allowed.count > count else { return .unchanged }
        let cpus = Self.choose(count, from: allowed, current: affinity.currentCPU())
        var placed: [Int32] = []
        do throws(ThreadAffinityError) {
            try affinity.setAllowedCPUs(cpus, thread: 0)
            placed.append(0)
            var seen = Set<Int32>()
            for _ in 0..<Self.sweeps {
                let new = try affinity.threads().filter { !seen.contains($0) }
                if new.isEmpty { break }
                for thread in new {
                    seen.insert(thread)
                    do {
                        try affinity.setAllowedCPUs(cpus, thread: thread)
                        placed.append(thread)
                    } catch where error.isNoSuchThread {
                        continue  // it ended in the meantime
                    }
                }
            }
            return .kept(cpus: cpus, allowed: allowed)
        } catch {
            // All or nothing: a process half on one CPU would be neither what was asked nor
            // what it was.
            for thread in placed { try? affinity.setAllowedCPUs(allowed, thread: thread) }
            return error.isUnsupported ? .unsupported : .failed(error)
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
