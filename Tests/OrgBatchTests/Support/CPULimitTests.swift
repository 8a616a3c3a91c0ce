import Testing

@testable import OrgBatch

@Suite("CPULimit: --cpus")
struct CPULimitTests {
    @Test func readsAllOrACount() {
        #expect(CPULimit("all") == .all)
        #expect(CPULimit("1") == .count(1))
        #expect(CPULimit("1024") == .count(1024))
        #expect(CPULimit("1")?.description == "1")
        #expect(CPULimit.all.description == "all")
    }

    @Test("refuses what is not all or 1 to 1,024", arguments: ["0", "-1", "1025", "", "ALL", "one", "1.5"])
    func refuses(_ text: String) {
        #expect(CPULimit(text) == nil)
    }
}
