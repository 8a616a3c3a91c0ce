import Foundation
import Synchronization
import Testing

@testable import OrgBatch

@Suite("CPUPlacement: keeping the threads on a few CPUs")
struct CPUPlacementTests {
    /// A system of threads and CPUs that records what it was asked to do.
    final class ScriptedAffinity: ThreadAffinity {
        struct State {
            var calls: [String] = []
            /// What successive `threads()` calls return; the last one repeats.
            var threadLists: [[Int32]]
        }

        let allowed: Result<[Int], ThreadAffinityError>
        let current: Int?
        /// Threads whose placement fails, and how.
        let failures: [Int32: ThreadAffinityError]
        let state: Mutex<State>

        init(
            allowed: Result<[Int], ThreadAffinityError>, current: Int?, threads: [[Int32]] = [[100, 101, 102]],
            failures: [Int32: ThreadAffinityError] = [:]
        ) {
            self.allowed = allowed
            self.current = current
            self.failures = failures
            state = Mutex(State(threadLists: threads))
        }

        var calls: [String] { state.withLock { $0.calls } }

        func threads() throws(ThreadAffinityError) -> [Int32] {
            state.withLock { state in
                state.threadLists.count > 1 ? state.threadLists.removeFirst() : state.threadLists[0]
            }
        }

        func allowedCPUs(thread: Int32) throws(ThreadAffinityError) -> [Int] { try allowed.get() }

        func currentCPU() -> Int? { current }

        func setAllowedCPUs(_ cpus: [Int], thread: Int32) throws(ThreadAffinityError) {
            state.withLock { $0.calls.append("\(thread):\(CPUPlacement.describe(cpus))") }
            if let failure = failures[thread] { throw failure }
        }
    }

    @Test func keepsEveryThreadOnTheCPUTheCallerRunsOnCallerFirst() {
        let affinity = ScriptedAffinity(allowed: .success([0, 1, 2, 3]), current: 2)
        #expect(CPUPlacement(affinity: affinity).apply(.count(1)) == .kept(cpus: [2], allowed: [0, 1, 2, 3]))
        // The caller first: what it starts while the others are placed inherits its CPU.
        #expect(affinity.calls == ["0:2", "100:2", "101:2", "102:2"])
    }

    @Test func threadsStartedDuringTheSweepArePlacedInALaterPass() {
        let affinity = ScriptedAffinity(allowed: .success([0, 1]), current: 1, threads: [[100, 101], [100, 101, 103], [100, 101, 103]])
        #expect(CPUPlacement(affinity: affinity).apply(.count(1)) == .kept(cpus: [1], allowed: [0, 1]))
        #expect(affinity.calls == ["0:1", "100:1", "101:1", "103:1"])
    }

    @Test func allLeavesTheProcessAlone() {
        let affinity = ScriptedAffinity(allowed: .success([0, 1]), current: 1)
        #expect(CPUPlacement(affinity: affinity).apply(.all) == .unchanged)
        #expect(affinity.calls.isEmpty)
    }

    @Test func noMoreCPUsAllowedThanAskedForLeavesTheProcessAlone() {
        let affinity = ScriptedAffinity(allowed: .success([3, 5]), current: 5)
        #expect(CPUPlacement(affinity: affinity).apply(.count(2)) == .unchanged)
        #expect(CPUPlacement(affinity: affinity).apply(.count(8)) == .unchanged)
        #expect(affinity.calls.isEmpty)
    }

    @Test func aSystemWithoutTheCallsLeavesTheProcessAlone() {
        let affinity = ScriptedAffinity(allowed: .failure(ThreadAffinityError(call: "sched_getaffinity", code: ENOSYS)), current: nil)
        #expect(CPUPlacement(affinity: affinity).apply(.count(1)) == .unsupported)
        #expect(affinity.calls.isEmpty)
    }

    @Test func aThreadThatEndedMeanwhileIsSkipped() {
        let affinity = ScriptedAffinity(
            allowed: .success([0, 1]), current: 0,
            failures: [101: ThreadAffinityError(call: "sched_setaffinity", thread: 101, code: ESRCH)])
        #expect(CPUPlacement(affinity: affinity).apply(.count(1)) == .kept(cpus: [0], allowed: [0, 1]))
        #expect(affinity.calls == ["0:0", "100:0", "101:0", "102:0"])
    }

    @Test func aRefusalForTheCallerIsReportedWithTheSystemsError() {
        let refused = ThreadAffinityError(call: "sched_setaffinity", thread: 0, code: EPERM)
        let affinity = ScriptedAffinity(allowed: .success([0, 1]), current: 0, failures: [0: refused])
        #expect(CPUPlacement(affinity: affinity).apply(.count(1)) == .failed(refused))
        #expect(refused.description == "sched_setaffinity (this thread): Operation not permitted")
        #expect(affinity.calls == ["0:0"])
    }

    @Test func aRefusalPartWayGivesTheThreadsAlreadyPlacedEveryAllowedCPUBack() {
        let refused = ThreadAffinityError(call: "sched_setaffinity", thread: 101, code: EPERM)
        let affinity = ScriptedAffinity(allowed: .success([0, 1]), current: 1, failures: [101: refused])
        #expect(CPUPlacement(affinity: affinity).apply(.count(1)) == .failed(refused))
        #expect(refused.description == "sched_setaffinity (thread 101): Operation not permitted")
        #expect(affinity.calls == ["0:1", "100:1", "101:1", "0:0-1", "100:0-1"])
    }

    @Test("chooses the current CPU, then the next allowed ones, wrapping around", arguments: [
        (1, [0, 1], 1, [1]),
        (1, [0, 1], nil, [0]),
        (1, [2, 4, 6], 3, [2]),  // not allowed: the first allowed one
        (2, [0, 1, 2, 3], 3, [0, 3]),
        (3, [0, 2, 4, 6], 2, [2, 4, 6]),
        (4, [0, 1], 0, [0, 1]),
    ] as [(Int, [Int], Int?, [Int])])
    func chooses(_ count: Int, _ allowed: [Int], _ current: Int?, _ chosen: [Int]) {
        #expect(CPUPlacement.choose(count, from: allowed, current: current) == chosen)
    }

    @Test func describesCPUListsAsLinuxDoes() {
        #expect(CPUPlacement.describe([1]) == "1")
        #expect(CPUPlacement.describe([0, 1]) == "0-1")
        #expect(CPUPlacement.describe([0, 1, 2, 5, 7, 8]) == "0-2,5,7-8")
        #expect(CPUPlacement.describe([]) == "")
    }
}
