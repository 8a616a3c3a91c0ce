import Foundation
import OrgBatch
import Synchronization

/// A clock that moves only when told to; `sleep` advances it and records the wait.
final class ManualClock: WallClock, @unchecked Sendable {
    // @unchecked Sendable: `state` is the only mutable field, guarded by its Mutex.
    private let state: Mutex<(now: Date, sleeps: [Double])>

    init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        state = Mutex((start, []))
    }

    func now() -> Date { state.withLock { $0.now } }

    func sleep(seconds: Double) {
        state.withLock {
            $0.sleeps.append(seconds)
            $0.now += seconds
        }
    }

    func advance(_ seconds: Double) { state.withLock { $0.now += seconds } }

    var sleeps: [Double] { state.withLock { $0.sleeps } }
}

/// Always the same "random" number.
struct FixedRandom: RandomSource {
    var value: Double

    func nextUnit() -> Double { value }
}
