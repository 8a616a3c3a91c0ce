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
        var day: String
        var region: String
        var service: String
    }

    private var keys: [Key: SymmetricKey] = [:]

    public init() {}

    func key(for credentials: SigningCredentials, date: Date, region: String, service: String) -> SymmetricKey {
        let day = AmzDate(date).short
        let wanted = Key(secret: credentials.secretAccessKey, day: day, region: region, service: service)
        if let key = keys[wanted] { return key }
        if keys.count > 64 { keys.removeAll() }  // credentials refreshed many times: start over
        let key = SigV4Signer.signingKey(secret: credentials.secretAccessKey, date: day, region: region, service: service)
        keys[wanted] = key
        return key
    }
}
