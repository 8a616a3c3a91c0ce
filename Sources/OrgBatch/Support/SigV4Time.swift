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
