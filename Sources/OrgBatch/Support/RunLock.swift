import Crypto
import Foundation

/// An exclusive lock on a file (`flock`), held for the life of the process, so two cron runs
/// of the same job cannot overlap.
public final class RunLock: Sendable {
    public struct Busy: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var holder: String
        public var description: String {
            "another orgbatch run holds \(path)" + (holder.isEmpty ? "" : " (\(holder))") + "; try again when it has finished"
        }
    }

    public let path: String
    private let descriptor: Int32

    /// Takes the lock, or throws `Busy` at once if another process holds it.
    public init(path: String) throws {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            throw Busy(path: path, holder: holder ?? "")
        }
        ftruncate(descriptor, 0)
        let note = "pid \(getpid())\n"
        _ = note.withCString { write(descriptor, $0, strlen($0)) }
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// The default lock of a job file: one per job, in the temporary folder
    /// (`$TMPDIR`, else `/tmp`): `orgbatch-<first 16 hex digits of the SHA-256 of its absolute path>.lock`.
    public static func defaultPath(forJob jobPath: String, environment: [String: String]) -> String {
        let absolute = URL(fileURLWithPath: jobPath).standardizedFileURL.path
        let digest = SHA256.hash(data: Array(absolute.utf8)).prefix(8).map { String($0, radix: 16).leftPadded(2) }.joined()
        let folder = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        return (folder as NSString).appendingPathComponent("orgbatch-\(digest).lock")
    }
}
