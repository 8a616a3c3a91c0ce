import Foundation
import Testing

@testable import OrgBatch

/// The real calls: Linux only.
@Suite(
    "SystemThreadAffinity: Linux's CPU-affinity calls",
    .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/task")))
struct ThreadAffinityTests {
    let system = SystemThreadAffinity()

    @Test func aThreadMovedToAnotherCPUReportsItAndItsNewThreadsInheritIt() throws {
        let system = system
        let allowed = try system.allowedCPUs(thread: 0)
        #expect(!allowed.isEmpty)
        let (target, placed, inherited, current) = try onThread { () throws -> (Int, [Int], [Int], Int?) in
            // Another CPU than this thread's, where there is one: a real move.
            let target = allowed.first { $0 != system.currentCPU() } ?? allowed[0]
            try system.setAllowedCPUs([target], thread: 0)
            let placed = try system.allowedCPUs(thread: 0)
            let child = try onThread { try system.allowedCPUs(thread: 0) }
            return (target, placed, child, system.currentCPU())
        }
        #expect(placed == [target])
        #expect(inherited == [target])
        #expect(current == target)
        // This thread was left alone.
        #expect(try system.allowedCPUs(thread: 0) == allowed)
    }

    @Test func listsTheProcessThreads() throws {
        let threads = try system.threads()
        #expect(threads.contains(getpid()))  // the main thread's id is the process's
        #expect(threads.count >= 2)
    }

    @Test func aThreadThatDoesNotExistIsNoSuchThread() {
        // Thread ids stop at 2^22.
        #expect {
            try system.setAllowedCPUs([0], thread: Int32.max)
        } throws: { error in
            let error = error as? ThreadAffinityError
            return error?.isNoSuchThread == true && error?.thread == Int32.max
        }
    }

    @Test func aCPUOutsideTheMaskIsRefusedBeforeTheCall() {
        #expect(throws: ThreadAffinityError(call: "sched_setaffinity", thread: 0, code: EINVAL)) {
            try system.setAllowedCPUs([CPULimit.maximumCount], thread: 0)
        }
    }

    @Test("a CPU set crosses as the kernel's 64-bit words", arguments: [
        ([0], 0, UInt64(1)),
        ([63], 0, UInt64(1) << 63),
        ([64], 1, UInt64(1)),
        ([1023], 15, UInt64(1) << 63),
        ([1, 3, 64], 0, UInt64(0b1010)),
    ] as [([Int], Int, UInt64)])
    func words(_ cpus: [Int], _ word: Int, _ bits: UInt64) throws {
        let words = try #require(SystemThreadAffinity.words(for: cpus))
        #expect(words.count == 16)
        #expect(words[word] == bits)
        #expect(SystemThreadAffinity.cpus(in: words) == cpus)
        #expect(SystemThreadAffinity.words(for: [-1]) == nil)
        #expect(SystemThreadAffinity.words(for: [1024]) == nil)
    }
}

/// Runs `body` on a thread of its own (so that placing it leaves the test process alone) and
/// waits for its result.
private func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
    let box = ResultBox<T>()
    Thread { box.set(Result { try body() }) }.start()
    return try box.wait().get()
}

/// One result handed from the thread that makes it to the thread that waits for it.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
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
