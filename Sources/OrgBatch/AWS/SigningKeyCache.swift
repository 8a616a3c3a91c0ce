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
        /// Days since 1970-01-01 (UTC): the date of the credential scope. (First: compared first.)
        var day: Int64
        var secret: String
        var region: String
        var service: String
    }

    /// More than this many keys means credentials were refreshed many times: start over.
    static let capacity = 1024

    private struct State {
        var keys: [Key: SigV4SigningKey] = [:]
        /// The key handed out last: most lookups ask for it again, and comparing the scope's
        /// strings (the same storage each time) costs less than hashing them.
        var last: (wanted: Key, key: SigV4SigningKey)?
    }

    private let state = Mutex(State())

    public init() {}

    func key(for credentials: SigningCredentials, date: Date, region: String, service: String) -> SigV4SigningKey {
        let day = AmzDate.days(fromSeconds: Int64(date.timeIntervalSince1970.rounded(.down))).days
        let wanted = Key(day: day, secret: credentials.secretAccessKey, region: region, service: service)
        let known: SigV4SigningKey? = state.withLock { state in
            if let last = state.last, last.wanted == wanted { return last.key }
            guard let key = state.keys[wanted] else { return nil }
            state.last = (wanted, key)
            return key
        }
        if let known { return known }
        // Derived outside the lock; two workers may both derive a new key, and either copy serves.
        let key = SigV4SigningKey(
            SigV4Signer.signingKey(
                secret: credentials.secretAccessKey, date: AmzDate(date).short, region: region, service: service))
        state.withLock { state in
            if state.keys.count >= Self.capacity { state.keys.removeAll() }
            state.keys[wanted] = key
            state.last = (wanted, key)
        }
        return key
    }

    /// How many keys are kept, for tests.
    var count: Int { state.withLock { $0.keys.count } }
}
