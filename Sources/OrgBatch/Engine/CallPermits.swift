import Foundation
import Synchronization

/// How many calls may run on threads of their own at once, across a run: the extra threads,
/// transports and connections that the preflight's reads, and the reading of an account
/// list's later pages, may use on top of the workers'.
///
/// A preflight read takes a permit only if one is free (`take`); otherwise the worker makes
/// the read itself. An account list is `enqueue`d: it is read on a thread of its own as soon
/// as a permit is free, in the order the lists were queued, so the worker that prepared the
/// organization goes on to tasks instead of reading pages.
final class CallPermits: Sendable {
    private struct State {
        var available: Int
        /// Calls waiting for a permit, oldest first.
        var queued: [@Sendable () -> Void] = []
    }

    private let state: Mutex<State>
    /// The permits in all; 0 means no calls of their own at all.
    let capacity: Int

    /// The stack of a thread started for such a call: 1 MiB (twice what Apple's platforms give a
    /// secondary thread), not Linux's default 8 MiB. glibc keeps the stacks of ended threads for
    /// the next ones, up to 40 MiB in all: a few of 8 MiB, so most of these short-lived threads
    /// unmapped their stack as they ended, and the next mapped a new one. Unmapping memory while
    /// the process's threads run on both CPUs makes the kernel interrupt the other CPU to flush
    /// its TLB, and on a virtual machine that waits for the other CPU to be scheduled.
    static let threadStackSize = 1 << 20

    init(_ count: Int) {
        capacity = max(0, count)
        state = Mutex(State(available: capacity))
    }

    /// Takes a permit; false when none is free.
    func take() -> Bool {
        state.withLock { state in
            guard state.available > 0 else { return false }
            state.available -= 1
            return true
        }
    }

    /// Returns a permit taken with `take`; a call waiting for one starts with it.
    func giveBack() {
        if let next = nextQueuedOrGiveBack() { start(next) }
    }

    /// Runs `body` on a thread of its own, holding a permit until it returns: at once when a
    /// permit is free, else as soon as one is given back (calls queued earlier first). False
    /// (and nothing queued) when there are no permits at all: the caller makes the call itself.
    func enqueue(_ body: @escaping @Sendable () -> Void) -> Bool {
        guard capacity > 0 else { return false }
        let now = state.withLock { state in
            guard state.available > 0 else {
                state.queued.append(body)
                return false
            }
            state.available -= 1
            return true
        }
        if now { start(body) }
        return true
    }

    /// Calls waiting for a permit (for tests).
    var queuedCount: Int { state.withLock { $0.queued.count } }

    /// Runs `first` on a new thread holding a permit; the thread then runs the queued calls
    /// with the same permit until none is left, and gives the permit back.
    private func start(_ first: @escaping @Sendable () -> Void) {
        Self.startThread {
            var body = first
            while true {
                body()
                guard let next = self.nextQueuedOrGiveBack() else { return }
                body = next
            }
        }
    }

    /// The oldest queued call, which keeps the caller's permit; nil, with the permit returned,
    /// when none is queued.
    private func nextQueuedOrGiveBack() -> (@Sendable () -> Void)? {
        state.withLock { state in
            guard state.queued.isEmpty else { return state.queued.removeFirst() }
            state.available += 1
            return nil
        }
    }

    /// Starts `body` on a thread of its own, with a stack of `threadStackSize`.
    static func startThread(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.stackSize = threadStackSize
        thread.start()
    }
}
