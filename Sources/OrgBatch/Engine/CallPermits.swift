import Foundation
import Synchronization

/// How many of the preflight's reads may run on threads of their own at once, across a run:
/// the extra threads, transports and connections they may use on top of the workers'.
final class CallPermits: Sendable {
    private let available: Mutex<Int>

    /// The stack of a thread started for such a call: 1 MiB (twice what Apple's platforms give a
    /// secondary thread), not Linux's default 8 MiB. glibc keeps the stacks of ended threads for
    /// the next ones, up to 40 MiB in all: a few of 8 MiB, so most of these short-lived threads
    /// unmapped their stack as they ended, and the next mapped a new one. Unmapping memory while
    /// the process's threads run on both CPUs makes the kernel interrupt the other CPU to flush
    /// its TLB, and on a virtual machine that waits for the other CPU to be scheduled.
    static let threadStackSize = 1 << 20

    init(_ count: Int) {
        available = Mutex(max(0, count))
    }

    /// Takes a permit; false when none is free.
    func take() -> Bool {
        available.withLock { available in
            guard available > 0 else { return false }
            available -= 1
            return true
        }
    }

    func giveBack() {
        available.withLock { $0 += 1 }
    }

    /// Starts `body` on a thread of its own, with a stack of `threadStackSize`.
    static func startThread(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.stackSize = threadStackSize
        thread.start()
    }
}
