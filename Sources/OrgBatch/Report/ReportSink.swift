import Foundation

/// Where report lines go. One line at a time; each call must leave the line complete on its
/// destination (a killed run leaves a valid prefix).
public protocol ReportSink: AnyObject {
    /// - Returns: false when the line could not be written whole.
    func write(line: String) -> Bool

    /// The line as UTF-8 bytes, without its newline: how `ReportWriter` hands over every line
    /// it encodes. By default made into a `String` for `write(line:)`.
    func write(encoded line: UnsafeRawBufferPointer) -> Bool
}

extension ReportSink {
    public func write(encoded line: UnsafeRawBufferPointer) -> Bool {
        write(line: String(decoding: line, as: UTF8.self))
    }
}

/// A file (or standard output). Each line goes out with its newline in one `writev(2)` call as
/// soon as it is complete: no buffer to lose when the process is killed.
///
/// Not thread-safe by itself: `ReportWriter` serialises calls.
public final class FileReportSink: ReportSink {
    private let descriptor: Int32
    private let closeOnDeinit: Bool

    /// Standard output.
    public init() {
        descriptor = STDOUT_FILENO
        closeOnDeinit = false
    }

    /// - Parameter append: add to an existing report (for `--resume`) instead of replacing it.
    public init(path: String, append: Bool = false) throws {
        let flags = O_CREAT | O_CLOEXEC | (append ? O_RDWR | O_APPEND : O_WRONLY | O_TRUNC)
        let descriptor = open(path, flags, 0o644)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        self.descriptor = descriptor
        closeOnDeinit = true
        // A report cut off mid-line (a full disk, an old version) must not glue the next line on.
        let size = lseek(descriptor, 0, SEEK_END)
        var last: UInt8 = 0
        if append, size > 0, pread(descriptor, &last, 1, size - 1) == 1, last != UInt8(ascii: "\n") {
            _ = Foundation.write(descriptor, "\n", 1)
        }
    }

    deinit {
        if closeOnDeinit { close(descriptor) }
    }

    public func write(line: String) -> Bool {
        var text = line
        return text.withUTF8 { write(encoded: UnsafeRawBufferPointer($0)) }
    }

    /// The bytes as they are: no `String` made (and its UTF-8 checked) for every line.
    public func write(encoded bytes: UnsafeRawBufferPointer) -> Bool {
        // The line and its newline in one writev(2); the rest by write(2) after a short write.
        var newline = UInt8(ascii: "\n")
        return withUnsafeMutablePointer(to: &newline) { newlinePointer in
            withUnsafeTemporaryAllocation(of: iovec.self, capacity: 2) { pieces in
                pieces[0] = iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress), iov_len: bytes.count)
                pieces[1] = iovec(iov_base: UnsafeMutableRawPointer(newlinePointer), iov_len: 1)
                var written = writev(descriptor, pieces.baseAddress, 2)
                while written < 0 && errno == EINTR { written = writev(descriptor, pieces.baseAddress, 2) }
                guard written >= 0 else { return false }
                if written == bytes.count + 1 { return true }
                return writeAll(UnsafeRawBufferPointer(rebasing: bytes[min(written, bytes.count)...]))
                    && (written > bytes.count || writeAll(UnsafeRawBufferPointer(start: newlinePointer, count: 1)))
            }
        }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}

/// Keeps lines in memory: for tests.
public final class MemoryReportSink: ReportSink, @unchecked Sendable {
    // @unchecked Sendable: written only through ReportWriter, which serialises calls under
    // its lock; read by tests after the run.
    public private(set) var lines: [String] = []

    public init() {}

    public func write(line: String) -> Bool {
        lines.append(line)
        return true
    }
}
