import Foundation
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
}
