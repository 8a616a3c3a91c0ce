import Foundation
import SigV4

/// Calendar forms of a time, without `DateFormatter`.
enum SigV4Time {
    /// `2026-11-24T21:00:00` (UTC, no zone designator).
    static func iso(_ date: Date) -> String {
        let long = AmzDate(date).long  // 20261124T210000Z
        let chars = Array(long)
        return String(chars[0..<4]) + "-" + String(chars[4..<6]) + "-" + String(chars[6..<8]) + "T"
            + String(chars[9..<11]) + ":" + String(chars[11..<13]) + ":" + String(chars[13..<15])
    }
}
