import Foundation
import Synchronization
import Testing

@testable import OrgBatch

@Suite("CallPermits and ConcurrentCall: the calls made alongside the workers")
struct CallPermitsTests {
    /// The stack size of the calling thread, as glibc reports it (`pthread_getattr_np`, which
    /// Swift's Glibc module leaves out: it is a GNU extension).
    static func currentStackSize() -> Int {
        typealias GetAttributes = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_getattr_np") else { return -1 }
        var attributes = pthread_attr_t()
        guard unsafeBitCast(symbol, to: GetAttributes.self)(pthread_self(), &attributes) == 0 else { return -1 }
        defer { pthread_attr_destroy(&attributes) }
        var size = 0
        guard pthread_attr_getstacksize(&attributes, &size) == 0 else { return -1 }
        return size
    }

    @Test func aQueuedCallRunsOnASmallStackAndGivesItsPermitBack() {
        let permits = CallPermits(1)
        let done = DispatchSemaphore(value: 0)
        let seen = Box()
        #expect(permits.enqueue {
            seen.stackSize = Self.currentStackSize()
            done.signal()
        })
        done.wait()
        #expect(seen.stackSize == CallPermits.threadStackSize)
        #expect(Self.takeWithin(permits))
    }

    @Test func withoutPermitsNothingIsQueued() {
        let permits = CallPermits(0)
        #expect(!permits.enqueue { Issue.record("ran without a permit") })
        #expect(permits.queuedCount == 0)
        #expect(!permits.take())
    }

    @Test func queuedCallsWaitForAPermitAndRunInOrderOnIt() {
        let permits = CallPermits(1)
        #expect(permits.take())  // held, as by a preflight read under way
        let order = Mutex<[Int]>([])
        let done = DispatchSemaphore(value: 0)
        for index in 1...3 {
            #expect(permits.enqueue {
                order.withLock { $0.append(index) }
                if index == 3 { done.signal() }
            })
        }
        #expect(permits.queuedCount == 3)
        #expect(order.withLock { $0 }.isEmpty)
        permits.giveBack()  // the queued calls start with this permit, one after another
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(order.withLock { $0 } == [1, 2, 3])
        #expect(permits.queuedCount == 0)
        // The permit is free again once the last has returned, and only one was ever lent.
        #expect(Self.takeWithin(permits))
        #expect(!permits.take())
    }

    @Test func queuedCallsNeverRunOnMorePermitsThanThereAre() {
        let permits = CallPermits(2)
        let running = Mutex((now: 0, most: 0))
        let group = DispatchGroup()
        for _ in 0..<12 {
            group.enter()
            #expect(permits.enqueue {
                running.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
                usleep(2000)
                running.withLock { $0.now -= 1 }
                group.leave()
            })
        }
        #expect(group.wait(timeout: .now() + 10) == .success)
        #expect(running.withLock { $0.most } <= 2)
        #expect(Self.takeWithin(permits) && Self.takeWithin(permits))
    }

    /// Takes a permit, waiting up to a second for a thread to give one back.
    static func takeWithin(_ permits: CallPermits) -> Bool {
        for _ in 0..<1000 {
            if permits.take() { return true }
            usleep(1000)
        }
        return false
    }

    @Test func aConcurrentCallRunsOnASmallStackAndHoldsItsPermitUntilItReturns() throws {
        let permits = CallPermits(1)
        let release = DispatchSemaphore(value: 0)
        let call = ConcurrentCall(permits: permits) { () throws(AWSError) -> Int in
            release.wait()
            return Self.currentStackSize()
        }
        #expect(call != nil)
        // The one permit is held while the call runs.
        #expect(ConcurrentCall(permits: permits) { () throws(AWSError) -> Int in 0 } == nil)
        release.signal()
        #expect(try call?.value() == CallPermits.threadStackSize)
    }

    /// Written by the detached thread before it signals, read after the wait.
    private final class Box: @unchecked Sendable {
        // @unchecked Sendable: one write before `done.signal()`, one read after `done.wait()`.
        var stackSize = 0
    }
}
