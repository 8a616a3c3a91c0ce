import Foundation
import Testing

@testable import OrgBatch

@Suite("SigV4Time: report timestamps")
struct SigV4TimeTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (1_795_554_000.125, "2026-11-24T21:00:00.125Z"),
        (-0.5, "1969-12-31T23:59:59.500Z"),
        (951_782_400.75, "2000-02-29T00:00:00.750Z"),
        (253_402_300_799.5, "9999-12-31T23:59:59.500Z"),
        (253_402_300_800.5, "10000-01-01T00:00:00.500Z"),
    ])
    func millisecondsInUTC(seconds: Double, expected: String) {
        #expect(SigV4Time.isoMilliseconds(Date(timeIntervalSince1970: seconds)) == expected)
    }
}
