import Crypto
import Foundation
import SigV4

/// The SigV4 signing keys a worker has derived, so each request costs one HMAC chain less
/// than four: a key depends only on the secret, the day, the region and the service.
///
/// Not `Sendable`: one per worker, like its transport.
public final class SigningKeyCache {
    private struct Key: Hashable {
        var secret: String
        /// Days since 1970-01-01 (UTC): the date of the credential scope.
        var day: Int64
        var region: String
        var service: String
    }

    private var keys: [Key: SigV4SigningKey] = [:]
    /// The key asked for last: a worker's requests mostly go to one service.
    private var last: (Key, SigV4SigningKey)?

    public init() {}

    func key(for credentials: SigningCredentials, date: Date, region: String, service: String) -> SigV4SigningKey {
        let day = AmzDate.days(fromSeconds: Int64(date.timeIntervalSince1970.rounded(.down))).days
        let wanted = Key(secret: credentials.secretAccessKey, day: day, region: region, service: service)
        if let last, last.0 == wanted { return last.1 }
        let key: SigV4SigningKey
        if let known = keys[wanted] {
            key = known
        } else {
            if keys.count > 64 { keys.removeAll() }  // credentials refreshed many times: start over
            key = SigV4SigningKey(
                SigV4Signer.signingKey(
                    secret: credentials.secretAccessKey, date: AmzDate(date).short, region: region, service: service))
            keys[wanted] = key
        }
        last = (wanted, key)
        return key
    }
}
