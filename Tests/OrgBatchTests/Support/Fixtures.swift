import Foundation
import OrgBatch

enum Fixtures {
    static let keys = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

    static func endpoint(_ service: AWSService) -> ServiceEndpoint {
        ServiceEndpoint(
            service: service, url: EndpointURL(scheme: "https", host: "\(service.rawValue).us-east-1.amazonaws.com"),
            signingRegion: "us-east-1")
    }

    static func requester(
        _ service: AWSService, _ transport: ScriptedTransport, clock: ManualClock = ManualClock(),
        retryPolicy: any RetryPolicy = StandardRetryPolicy(random: FixedRandom(value: 0.5)),
        credentials: any CredentialProvider = StaticCredentialProvider(keys, source: "test")
    ) -> AWSRequester {
        AWSRequester(
            transport: transport, credentials: credentials, endpoint: endpoint(service), retryPolicy: retryPolicy,
            clock: clock)
    }

    /// A fresh folder under the system's temporary directory.
    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("orgbatch-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
