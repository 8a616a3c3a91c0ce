import struct Foundation.Date

/// The two forms of the request time SigV4 uses: `20150830T123600Z` and `20150830`.
///
/// Computed arithmetically (no `DateFormatter`, no locale, no time zone database), so it is
/// cheap on the hot path and the same on every machine.
public struct AmzDate: Sendable, Equatable {
    /// ISO 8601 basic format, UTC: `YYYYMMDD'T'HHMMSS'Z'`.
    public let long: String
    /// `YYYYMMDD`, the date part of the credential scope.
    public let short: String

    public init(_ date: Date) {
        let (days, secondOfDay) = Self.days(fromSeconds: Int64(date.timeIntervalSince1970.rounded(.down)))
        let (year, month, day) = Self.civil(fromDays: days)
        guard (0...9999).contains(year) else {  // a year outside 0...9999: written as it is
            func padded(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
            short = "\(year)" + padded(month) + padded(day)
            long = short + "T" + padded(secondOfDay / 3600) + padded(secondOfDay % 3600 / 60) + padded(secondOfDay % 60) + "Z"
            return
        }
        // Written on the stack at fixed places (no nested function capturing a position):
        // `short` fits a small string, so `long` is the only allocation.
        var scratch: (UInt64, UInt64) = (0, 0)
        (short, long) = withUnsafeMutableBytes(of: &scratch) { bytes in
            Self.writeDigits(year, endingAt: 4, width: 4, in: bytes)
            Self.writeDigits(month, endingAt: 6, width: 2, in: bytes)
            Self.writeDigits(day, endingAt: 8, width: 2, in: bytes)
            bytes[8] = UInt8(ascii: "T")
            Self.writeDigits(secondOfDay / 3600, endingAt: 11, width: 2, in: bytes)
            Self.writeDigits(secondOfDay % 3600 / 60, endingAt: 13, width: 2, in: bytes)
            Self.writeDigits(secondOfDay % 60, endingAt: 15, width: 2, in: bytes)
            bytes[15] = UInt8(ascii: "Z")
            return (
                String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<8]), as: UTF8.self),
                String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<16]), as: UTF8.self)
            )
        }
    }

    /// Writes `value`'s last `width` decimal digits, ending just before `end` (also the report's
    /// timestamps, in the same fixed-width way).
    package static func writeDigits(_ value: Int64, endingAt end: Int, width: Int, in bytes: UnsafeMutableRawBufferPointer) {
        var rest = value
        for position in stride(from: end - 1, through: end - width, by: -1) {
            bytes[position] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
    }

    /// Seconds since 1970-01-01 to whole days and the second of the day (floored, so times
    /// before 1970 land on the right day).
    public static func days(fromSeconds seconds: Int64) -> (days: Int64, secondOfDay: Int64) {
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        return (days, secondOfDay)
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `civil_from_days`).
    public static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
