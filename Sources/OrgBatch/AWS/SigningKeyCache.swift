import Crypto
import Foundation
import Synchronization
import SigV4

/// The SigV4 signing keys the run has derived, shared by its workers, so each request costs
/// one HMAC chain less than four: a key depends only on the secret, the day, the region and
/// the service, so a run needs one per organization's credentials and service, whichever
/// worker signs. (Kept per worker, a run of 100 organizations held 64 copies of every key,
/// and a worker's 64-entry cache, cycled through 100 organizations, derived a key for
/// nearly every request.)
public final class SigningKeyCache: Sendable {
    private struct Key: Hashable {
        var secret: String
        /// Days since 1970-01-01 (UTC): the date of the credential scope.
        var day: Int64
        var region: String
        var service: String
    }

    /// More than this many keys means credentials were refreshed many times: start over.
    static let capacity = 1024

    private let keys = Mutex<[Key: SigV4SigningKey]>([:])

    public init() {}

    func key(for credentials: SigningCredentials, date: Date, region: String, service: String) -> SigV4SigningKey {
        let day = AmzDate.days(fromSeconds: Int64(date.timeIntervalSince1970.rounded(.down))).days
        let wanted = Key(secret: credentials.secretAccessKey, day: day, region: region, service: service)
        if let known = keys.withLock({ $0[wanted] }) { return known }
        // Derived outside the lock; two workers may both derive a new key, and either copy serves.
        let key = SigV4SigningKey(
            SigV4Signer.signingKey(
                secret: credentials.secretAccessKey, date: AmzDate(date).short, region: region, service: service))
        keys.withLock { keys in
            if keys.count >= Self.capacity { keys.removeAll() }
            keys[wanted] = key
        }
        return key
    }

    /// How many keys are kept, for tests.
    var count: Int { keys.withLock { $0.count } }
}
