import Foundation
import Synchronization

/// How many calls may run on threads of their own at once, across a run: the extra threads,
/// transports and connections that the preflight's reads, and the reading of an account
/// list's later pages, may use on top of the workers'.
final class CallPermits: Sendable {
    private let available: Mutex<Int>

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

    /// Runs `body` on a new thread, holding a permit until it returns; false (and nothing
    /// started) when no permit is free. A plain thread, as for `ConcurrentCall`.
    func detach(_ body: @escaping @Sendable () -> Void) -> Bool {
        guard take() else { return false }
        Thread {
            body()
            self.giveBack()
        }.start()
        return true
    }
}
