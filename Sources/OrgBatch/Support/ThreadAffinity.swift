import CSched
import Foundation

/// Where the operating system may run this process's threads, behind a protocol so tests can
/// script it. Thread ids are the kernel's (`/proc/self/task`); 0 is the calling thread.
public protocol ThreadAffinity: Sendable {
    /// The ids of the process's threads.
    func threads() throws(ThreadAffinityError) -> [Int32]
    /// The CPUs a thread may run on, in ascending order.
    func allowedCPUs(thread: Int32) throws(ThreadAffinityError) -> [Int]
    /// The CPU the calling thread is running on, if the system says.
    func currentCPU() -> Int?
    /// Lets a thread run only on `cpus`. Threads it starts from then on inherit them.
    func setAllowedCPUs(_ cpus: [Int], thread: Int32) throws(ThreadAffinityError)
}

/// A failed system call, with its error number.
public struct ThreadAffinityError: Error, Equatable, Sendable, CustomStringConvertible {
    public let call: String
    public let code: Int32

    public init(call: String, code: Int32) {
        self.call = call
        self.code = code
    }

    /// The thread had ended: nothing to place.
    public var isNoSuchThread: Bool { code == ESRCH }

    public var description: String { "\(call): \(String(cString: strerror(code)))" }
}

/// Linux's `sched_getaffinity`, `sched_setaffinity` and `sched_getcpu`; elsewhere every call
/// fails with ENOSYS.
public struct SystemThreadAffinity: ThreadAffinity {
    public init() {}

    public func threads() throws(ThreadAffinityError) -> [Int32] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").compactMap { Int32($0) }.sorted()
        } catch {
            throw ThreadAffinityError(call: "reading /proc/self/task", code: ENOENT)
        }
    }

    public func allowedCPUs(thread: Int32) throws(ThreadAffinityError) -> [Int] {
        var words = [UInt64](repeating: 0, count: Int(ORGBATCH_CPU_SET_WORDS))
        let result = words.withUnsafeMutableBufferPointer { orgbatch_sched_getaffinity(thread, $0.baseAddress!) }
        guard result == 0 else { throw ThreadAffinityError(call: "sched_getaffinity", code: errno) }
        return (0..<words.count * 64).filter { words[$0 / 64] & (1 << UInt64($0 % 64)) != 0 }
    }

    public func currentCPU() -> Int? {
        let cpu = orgbatch_sched_getcpu()
        return cpu >= 0 ? Int(cpu) : nil
    }

    public func setAllowedCPUs(_ cpus: [Int], thread: Int32) throws(ThreadAffinityError) {
        var words = [UInt64](repeating: 0, count: Int(ORGBATCH_CPU_SET_WORDS))
        for cpu in cpus {
            guard (0..<words.count * 64).contains(cpu) else { throw ThreadAffinityError(call: "sched_setaffinity", code: EINVAL) }
            words[cpu / 64] |= 1 << UInt64(cpu % 64)
        }
        let result = words.withUnsafeBufferPointer { orgbatch_sched_setaffinity(thread, $0.baseAddress!) }
        guard result == 0 else { throw ThreadAffinityError(call: "sched_setaffinity", code: errno) }
    }
}
