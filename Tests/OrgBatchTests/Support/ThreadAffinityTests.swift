import Foundation
import Testing

@testable import OrgBatch

@Suite("SystemThreadAffinity: Linux's CPU-affinity calls")
struct ThreadAffinityTests {
    let system = SystemThreadAffinity()

    @Test func aThreadPlacedOnOneCPUReportsThatCPUAndItsNewThreadsInheritIt() throws {
        let system = system
        let allowed = try system.allowedCPUs(thread: 0)
        #expect(!allowed.isEmpty)
        let (placed, inherited, current) = try Self.onThread { () throws -> ([Int], [Int], Int?) in
            let cpu = allowed.last!
            try system.setAllowedCPUs([cpu], thread: 0)
            let placed = try system.allowedCPUs(thread: 0)
            let child = try Self.onThread { try system.allowedCPUs(thread: 0) }
            return (placed, child, system.currentCPU())
        }
        #expect(placed == [allowed.last!])
        #expect(inherited == [allowed.last!])
        #expect(current == allowed.last!)
        // This thread was left alone.
        #expect(try system.allowedCPUs(thread: 0) == allowed)
    }

    @Test func listsTheProcessThreads() throws {
        let threads = try system.threads()
        #expect(threads.contains(getpid()))  // the main thread's id is the process's
        #expect(threads.count >= 2)
    }

    @Test func errorsCarryTheCallAndTheSystemsErrorNumber() {
        #expect(throws: ThreadAffinityError(call: "sched_setaffinity", code: EINVAL)) {
            try system.setAllowedCPUs([CPULimit.maximumCount], thread: 0)
        }
        // No such thread (thread ids stop at 2^22).
        #expect {
            try system.setAllowedCPUs([0], thread: Int32.max)
        } throws: { error in
            (error as? ThreadAffinityError)?.isNoSuchThread == true
        }
    }

    /// Runs `body` on a thread of its own (so that placing it leaves the test process alone)
    /// and waits for its result.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
        let box = ResultBox<T>()
        Thread { box.set(Result { try body() }) }.start()
        return try box.wait().get()
    }
}

/// One result handed from the thread that makes it to the thread that waits for it.
final class ResultBox<T: Sendable>: @unchecked Sendable {
    // @unchecked Sendable: `value` is written once, before `ready` is signalled, and read only
    // after waiting on it.
    private var value: Result<T, any Error>?
    private let ready = DispatchSemaphore(value: 0)

    func set(_ result: Result<T, any Error>) {
        value = result
        ready.signal()
    }

    func wait() -> Result<T, any Error> {
        ready.wait()
        return value!
    }
}
