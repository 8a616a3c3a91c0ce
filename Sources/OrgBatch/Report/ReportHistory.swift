import Foundation

/// A previous report, read for `--resume`: which tasks it shows finished.
public enum ReportHistory {
    /// Identities (org, account, action, parameters) of the tasks `path` shows `changed` or
    /// `unchanged`. Lines that are not report lines are passed over.
    public static func finishedTasks(in path: String) throws -> Set<String> {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        var finished: Set<String> = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let status = object["status"] as? String, status == TaskStatus.changed.rawValue || status == TaskStatus.unchanged.rawValue,
                let org = object["org"] as? String, let action = object["action"] as? String,
                let params = object["params"] as? [String: String]
            else { continue }
            finished.insert(
                LineFactory.identity(
                    org: org, account: object["account"] as? String, action: action, params: params.map { ($0.key, $0.value) }))
        }
        return finished
    }
}
