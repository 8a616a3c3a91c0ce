import Foundation
import SigV4
import Testing

@testable import OrgBatch

/// orgbatch against what botocore puts on the wire for the same six calls
/// (`Data/botocore-requests`): same URL, same signed headers, and, for the exact bytes
/// botocore sent, the same Authorization header.
@Suite("Requests as botocore sends them")
struct BotocoreWireTests {
    struct Capture: @unchecked Sendable, CustomStringConvertible {
        // @unchecked Sendable: immutable JSON values read from a test resource.
        var input: [String: Any]
        var output: [String: Any]
        var description: String { "\(input["service"]!).\(input["operation"]!)" }
    }

    static func captures() throws -> [Capture] {
        let folder = Bundle.module.resourceURL!.appendingPathComponent("Data/botocore-requests")
        let inputs = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("input.json"))) as! [[String: Any]]
        let outputs = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("requests.json"))) as! [[String: Any]]
        return zip(inputs, outputs).map { Capture(input: $0, output: $1) }
    }

    static let date = Date(timeIntervalSince1970: 1_440_938_160)

    final class FrozenClock: WallClock {
        func now() -> Date { BotocoreWireTests.date }
        func sleep(seconds: Double) {}
    }

    @Test("same request, same signature", arguments: try captures())
    func sameRequest(_ capture: Capture) throws {
        let input = capture.input
        let output = capture.output
        let service = AWSService(rawValue: input["service"] as! String)!
        let region = input["region"] as! String
        let keys = AWSCredentials(
            accessKeyID: input["access_key"] as! String, secretAccessKey: input["secret_key"] as! String,
            sessionToken: input["session_token"] as? String)

        // Our endpoint for this region is botocore's.
        let resolver = EndpointResolver(environment: [:], config: SharedConfig(config: nil, credentials: nil))
        let endpoint = try resolver.endpoint(for: service, profile: nil, region: region)
        #expect(endpoint.signingRegion == output["signing_region"] as? String)

        // Our client builds the same request.
        let transport = ScriptedTransport(fallback: { _ in HTTPResponse(status: 200, body: Array(Self.okBody(service).utf8)) })
        let requester = AWSRequester(
            transport: transport, credentials: StaticCredentialProvider(keys, source: "test"), endpoint: endpoint,
            clock: FrozenClock())
        try call(input["operation"] as! String, input["params"] as! [String: Any], service: service, requester: requester)
        let ours = try #require(transport.sent.first)
        #expect(ours.url == output["url"] as? String)
        #expect(ours.method == output["method"] as? String)
        let theirs = Dictionary(
            (output["headers"] as! [[String]]).map { ($0[0].lowercased(), $0[1]) }, uniquingKeysWith: { $1 })
        let ourAuthorization = try #require(ours.header("Authorization"))
        #expect(ourAuthorization.contains("SignedHeaders=\(output["signed_headers"] as! String),"))
        for name in ["content-type", "x-amz-target", "x-amz-date", "x-amz-security-token"] {
            #expect(ours.header(name) == theirs[name], "header \(name)")
        }
        let theirBody = Data(base64Encoded: output["body_b64"] as! String)!
        if service == .sts {
            #expect(formFields(ours.bodyText) == formFields(String(decoding: theirBody, as: UTF8.self)))
        } else {
            #expect(ours.bodyJSON as NSDictionary == (try JSONSerialization.jsonObject(with: theirBody)) as! NSDictionary)
        }

        // Signing botocore's exact bytes gives botocore's exact Authorization.
        let url = EndpointURL.parse(output["url"] as! String)!
        var headers: [(name: String, value: String)] = [("Host", url.hostHeader)]
        for name in (output["signed_headers"] as! String).split(separator: ";") where !["host", "x-amz-date", "x-amz-security-token"].contains(String(name)) {
            headers.append((String(name), theirs[String(name)]!))
        }
        let signed = SigV4Signer(credentials: keys.signing, region: output["signing_region"] as! String, service: service.signingName)
            .sign(SigV4Request(method: "POST", path: url.basePath.isEmpty ? "/" : url.basePath, headers: headers, body: Array(theirBody)), date: Self.date)
        #expect(signed.canonicalRequest == output["canonical_request"] as? String)
        #expect(signed.authorization == output["authorization"] as? String)
    }

    func call(_ operation: String, _ params: [String: Any], service: AWSService, requester: AWSRequester) throws {
        switch operation {
        case "list_accounts":
            _ = try OrganizationsClient(requester: requester).listAccounts()
        case "list_children":
            _ = try OrganizationsClient(requester: requester).call("ListChildren", params as! [String: String], as: ListChildrenResponse.self)
        case "get_alternate_contact":
            _ = try AccountClient(requester: requester).getAlternateContact(
                accountId: params["AccountId"] as? String, type: AlternateContactType(rawValue: params["AlternateContactType"] as! String)!)
        case "put_contact_information":
            let info = params["ContactInformation"] as! [String: String]
            try AccountClient(requester: requester).putContactInformation(
                accountId: nil,
                information: ContactInformation(
                    addressLine1: info["AddressLine1"]!, city: info["City"]!, countryCode: info["CountryCode"]!,
                    fullName: info["FullName"]!, phoneNumber: info["PhoneNumber"]!, postalCode: info["PostalCode"]!))
        case "assume_role":
            _ = try? STSClient(requester: requester).assumeRole(
                roleARN: params["RoleArn"] as! String, sessionName: params["RoleSessionName"] as! String,
                durationSeconds: params["DurationSeconds"] as? Int)
        case "get_caller_identity":
            _ = try? STSClient(requester: requester).getCallerIdentity()
        default:
            Issue.record("no mapping for \(operation)")
        }
    }

    static func okBody(_ service: AWSService) -> String {
        service == .sts ? "<R/>" : "{}"
    }

    /// Form fields decoded, so `+` and `%20` compare equal.
    func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding!
            }
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }
}
