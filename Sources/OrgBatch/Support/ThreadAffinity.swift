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

/// A failed system call: which, on which thread, and the system's error number.
public struct ThreadAffinityError: Error, Equatable, Sendable, CustomStringConvertible {
    public let call: String
    /// The thread it was about; nil for the process as a whole.
    public let thread: Int32?
    public let code: Int32

    public init(call: String, thread: Int32? = nil, code: Int32) {
        self.call = call
        self.thread = thread
        self.code = code
    }

    /// The thread had ended: nothing to place.
    public var isNoSuchThread: Bool { code == ESRCH }

    /// The system has no such calls (not Linux).
    public var isUnsupported: Bool { code == ENOSYS }

    public var description: String {
        let subject = thread.map { $0 == 0 ? " (this thread)" : " (thread \($0))" } ?? ""
        return "\(call)\(subject): \(String(cString: strerror(code)))"
    }
}

/// Linux's `sched_getaffinity`, `sched_setaffinity` and `getcpu`; elsewhere every call fails
/// with ENOSYS.
public struct SystemThreadAffinity: ThreadAffinity {
    public init() {}

    public func threads() throws(ThreadAffinityError) -> [Int32] {
        guard let directory = opendir("/proc/self/task") else {
            throw ThreadAffinityError(call: "opendir /proc/self/task", code: errno)
        }
        defer { closedir(directory) }
        var threads: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let thread = Int32(name) { threads.append(thread) }
        }
        return threads.sorted()
    }

    public func allowedCPUs(thread: Int32) throws(ThreadAffinityError) -> [Int] {
        var words = [UInt64](repeating: 0, count: Int(ORGBATCH_CPU_SET_WORDS))
        let failure: Int32? = words.withUnsafeMutableBufferPointer {
            orgbatch_sched_getaffinity(thread, $0.baseAddress!) == 0 ? nil : errno
        }
        if let failure { throw ThreadAffinityError(call: "sched_getaffinity", thread: thread, code: failure) }
        return Self.cpus(in: words)
    }

    public func currentCPU() -> Int? {
        let cpu = orgbatch_sched_getcpu()
        return cpu >= 0 ? Int(cpu) : nil
    }

    public func setAllowedCPUs(_ cpus: [Int], thread: Int32) throws(ThreadAffinityError) {
        guard let words = Self.words(for: cpus) else {
            throw ThreadAffinityError(call: "sched_setaffinity", thread: thread, code: EINVAL)
        }
        let failure: Int32? = words.withUnsafeBufferPointer {
            orgbatch_sched_setaffinity(thread, $0.baseAddress!) == 0 ? nil : errno
        }
        if let failure { throw ThreadAffinityError(call: "sched_setaffinity", thread: thread, code: failure) }
    }

    /// The kernel's CPU mask for `cpus`: CPU n is bit n % 64 of word n / 64. Nil when a CPU
    /// number is outside the mask (0 to 1,023).
    static func words(for cpus: [Int]) -> [UInt64]? {
        var words = [UInt64](repeating: 0, count: Int(ORGBATCH_CPU_SET_WORDS))
        for cpu in cpus {
            guard (0..<words.count * 64).contains(cpu) else { return nil }
            words[cpu / 64] |= 1 << UInt64(cpu % 64)
        }
        return words
    }

    /// The CPUs a kernel CPU mask names, in ascending order.
    static func cpus(in words: [UInt64]) -> [Int] {
        (0..<words.count * 64).filter { words[$0 / 64] & (1 << UInt64($0 % 64)) != 0 }
    }
}
