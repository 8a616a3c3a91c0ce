import Foundation

/// A call made on a thread of its own while the caller goes on; `value()` waits for it.
///
/// For the few independent reads of an organization's preflight: made one after another they
/// cost a round trip each before the first write can go out. A plain thread, not a Dispatch
/// global queue, because these calls block on the network and the global pool on Linux runs
/// only about as many threads as cores.
final class ConcurrentCall<Value: Sendable>: @unchecked Sendable {
    // @unchecked Sendable: `result` is written once, before `done.signal()`, and read only
    // after `done.wait()`; the semaphore orders the two.
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<Value, AWSError>?
    private var waited = false

    /// Starts `body` on a new thread, holding one of `permits` until it returns; nil (and
    /// nothing started) when no permit is free.
    init?(permits: CallPermits, _ body: @escaping @Sendable () throws(AWSError) -> Value) {
        guard permits.take() else { return nil }
        CallPermits.startThread { [self] in
            result = Result { () throws(AWSError) -> Value in try body() }
            permits.giveBack()
            done.signal()
        }
    }

    /// The call's result, waiting for it if need be. Call from one thread only.
    func value() throws(AWSError) -> Value {
        if !waited {
            done.wait()
            waited = true
        }
        return try result!.get()
    }
}
