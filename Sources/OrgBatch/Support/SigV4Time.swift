import Foundation
import SigV4

/// Calendar forms of a time, without `DateFormatter`.
enum SigV4Time {
    /// `2026-11-24T21:00:00.123Z` (UTC, milliseconds).
    static func isoMilliseconds(_ date: Date) -> String {
        var out = JSONWriter(capacity: 24)
        writeISOMilliseconds(date, to: &out)
        return out.text
    }

    /// Writes `2026-11-24T21:00:00.123Z` digit by digit: it is on every report line.
    static func writeISOMilliseconds(_ date: Date, to out: inout JSONWriter) {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = milliseconds / 1000
        var fraction = milliseconds % 1000
        if fraction < 0 {
            fraction += 1000
            seconds -= 1
        }
        let (days, secondOfDay) = AmzDate.days(fromSeconds: seconds)
        let (year, month, day) = AmzDate.civil(fromDays: days)
        if (0...9999).contains(year) {
            // The usual case, fixed width: filled in on the stack, appended at once.
            var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
            withUnsafeMutableBytes(of: &scratch) { text in
                let template: StaticString = "0000-00-00T00:00:00.000Z"
                template.withUTF8Buffer { text.copyMemory(from: UnsafeRawBufferPointer($0)) }
                AmzDate.writeDigits(year, endingAt: 4, width: 4, in: text)
                AmzDate.writeDigits(month, endingAt: 7, width: 2, in: text)
                AmzDate.writeDigits(day, endingAt: 10, width: 2, in: text)
                AmzDate.writeDigits(secondOfDay / 3600, endingAt: 13, width: 2, in: text)
                AmzDate.writeDigits(secondOfDay % 3600 / 60, endingAt: 16, width: 2, in: text)
                AmzDate.writeDigits(secondOfDay % 60, endingAt: 19, width: 2, in: text)
                AmzDate.writeDigits(fraction, endingAt: 23, width: 3, in: text)
                out.raw(UnsafeRawBufferPointer(rebasing: text[..<24]))
            }
            return
        }
        func digits(_ value: Int64, _ width: Int) { out.digits(UInt(max(0, value)), width: width) }
        digits(year, 4)
        out.raw("-")
        digits(month, 2)
        out.raw("-")
        digits(day, 2)
        out.raw("T")
        digits(secondOfDay / 3600, 2)
        out.raw(":")
        digits(secondOfDay % 3600 / 60, 2)
        out.raw(":")
        digits(secondOfDay % 60, 2)
        out.raw(".")
        digits(fraction, 3)
        out.raw("Z")
    }
}
