import Foundation

/// The credentials document the container credentials endpoint and the EC2 instance
/// metadata service both answer with:
/// `{"AccessKeyId": …, "SecretAccessKey": …, "Token": …, "Expiration": "2026-11-24T18:00:00Z"}`.
enum MetadataCredentials {
    enum Parsed {
        case credentials(AWSCredentials)
        /// Why the answer is unusable, never quoting it (it holds the secret).
        case unusable(String)
    }

    static func parse(_ body: [UInt8]) -> Parsed {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            return .unusable("the answer is not a JSON object")
        }
        if let code = object["Code"] as? String, code != "Success" {
            return .unusable("the answer says \(code): \((object["Message"] as? String) ?? "")")
        }
        let missing = ["AccessKeyId", "SecretAccessKey", "Token", "Expiration"].filter {
            ((object[$0] as? String) ?? "").isEmpty
        }
        guard missing.isEmpty else {
            return .unusable("the answer lacks " + missing.joined(separator: ", "))
        }
        guard let expiration = STSClient.parseTimestamp(object["Expiration"] as! String) else {
            return .unusable("the answer's Expiration is not an ISO 8601 time")
        }
        return .credentials(
            AWSCredentials(
                accessKeyID: object["AccessKeyId"] as! String, secretAccessKey: object["SecretAccessKey"] as! String,
                sessionToken: object["Token"] as? String, expiration: expiration))
    }

    /// The first `limit` characters of an error answer (4xx, 5xx), for messages; nothing for
    /// any other status, or a body that looks like it holds keys (an agent or proxy echoing).
    static func excerpt(_ response: HTTPResponse, limit: Int = 200) -> String {
        guard response.status >= 400 else { return "" }
        let text = String(decoding: response.body.prefix(limit), as: UTF8.self).trimmingSpaces()
        let secretMarkers = ["SecretAccessKey", "AccessKeyId", "Token", "Authorization", "ASIA", "AKIA"]
        guard !text.isEmpty, !secretMarkers.contains(where: { text.localizedCaseInsensitiveContains($0) }) else { return "" }
        return ": " + text
    }
}
