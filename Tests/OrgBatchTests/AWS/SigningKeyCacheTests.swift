import Dispatch
import Foundation
import SigV4
import Synchronization
import Testing

@testable import OrgBatch

@Suite("SigningKeyCache: one key per secret, day, region and service, shared by the workers")
struct SigningKeyCacheTests {
    let credentials = SigningCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    let morning = Date(timeIntervalSince1970: 1_795_554_000)  // 2026-11-24T21:00:00Z

    private func signature(_ key: SigV4SigningKey, at date: Date) -> String {
        let request = SigV4Request(method: "GET", path: "/", headers: [("Host", "example.amazonaws.com")], body: [])
        return SigV4Signer(credentials: credentials, region: "us-east-1", service: "service")
            .sign(request, date: date, signingKey: key).signature
    }

    @Test func workersShareOneKeyAndItSignsAsAFreshOneWould() {
        let cache = SigningKeyCache()
        let signatures = Mutex<Set<String>>([])
        DispatchQueue.concurrentPerform(iterations: 64) { _ in
            let key = cache.key(for: credentials, date: morning, region: "us-east-1", service: "service")
            let signature = signature(key, at: morning)
            signatures.withLock { _ = $0.insert(signature) }
        }
        #expect(cache.count == 1)
        let fresh = SigV4Signer(credentials: credentials, region: "us-east-1", service: "service")
            .sign(SigV4Request(method: "GET", path: "/", headers: [("Host", "example.amazonaws.com")], body: []), date: morning)
        #expect(signatures.withLock { $0 } == [fresh.signature])
    }

    @Test func aNewDayARegionOrAServiceIsAKeyOfItsOwn() {
        let cache = SigningKeyCache()
        _ = cache.key(for: credentials, date: morning, region: "us-east-1", service: "account")
        _ = cache.key(for: credentials, date: morning + 3600, region: "us-east-1", service: "account")  // same day
        #expect(cache.count == 1)
        _ = cache.key(for: credentials, date: morning + 86_400, region: "us-east-1", service: "account")
        _ = cache.key(for: credentials, date: morning, region: "eu-west-1", service: "account")
        _ = cache.key(for: credentials, date: morning, region: "us-east-1", service: "organizations")
        #expect(cache.count == 4)
    }
}

extension SigningKeyCacheTests {
    /// The last key is answered again without a lookup, and never for another scope.
    @Test func theLastKeyServesOnlyItsOwnScope() {
        let cache = SigningKeyCache()
        let other = SigningCredentials(accessKeyID: "AKIDOTHER", secretAccessKey: "another secret")
        let first = cache.key(for: credentials, date: morning, region: "us-east-1", service: "account")
        #expect(signature(cache.key(for: credentials, date: morning + 60, region: "us-east-1", service: "account"), at: morning)
            == signature(first, at: morning))
        // Each of these differs from the last in one part, and must sign as its own fresh key does.
        let cases: [(SigningCredentials, Date, String, String)] = [
            (other, morning, "us-east-1", "account"), (credentials, morning + 86_400, "us-east-1", "account"),
            (credentials, morning, "eu-west-1", "account"), (credentials, morning, "us-east-1", "organizations"),
            (credentials, morning, "us-east-1", "account"),
        ]
        for (keys, date, region, service) in cases {
            let cached = cache.key(for: keys, date: date, region: region, service: service)
            let fresh = SigV4SigningKey(
                SigV4Signer.signingKey(secret: keys.secretAccessKey, date: AmzDate(date).short, region: region, service: service))
            let request = SigV4Request(method: "GET", path: "/", headers: [("Host", "example.amazonaws.com")], body: [])
            let signer = SigV4Signer(credentials: keys, region: region, service: service)
            #expect(
                signer.sign(request, date: date, signingKey: cached).signature
                    == signer.sign(request, date: date, signingKey: fresh).signature, "\(region) \(service) \(date)")
        }
        #expect(cache.count == 5)
    }
}
