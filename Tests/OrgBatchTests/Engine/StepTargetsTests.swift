import Testing

@testable import OrgBatch

@Suite("StepTargets: a step's member indexes as runs")
struct StepTargetsTests {
    @Test(arguments: [
        [Int](),
        Array(0..<1000),  // every member: one run
        Array(0..<1000).filter { $0 != 417 },  // all but the management account: two runs
        [3, 4, 5, 9, 10, 20, 21, 22, 23, 40],
        [0, 2, 4, 6, 8],
    ])
    func givesBackTheIndexesInOrder(indexes: [Int]) {
        let targets = StepTargets(indexes)
        #expect(targets.count == indexes.count)
        #expect((0..<targets.count).map { targets[$0] } == indexes)
    }

    @Test func appendingPageByPageGivesTheSameTargets() {
        let indexes = [0, 1, 2, 5, 6, 9, 10, 11]
        var targets = StepTargets([])
        for index in indexes { targets.append(index) }
        #expect(targets == StepTargets(indexes))
        #expect(targets.runCount == 3)
    }

    @Test func runsNotIndexes() {
        #expect(StepTargets(0..<33_400).runCount == 1)
        #expect(StepTargets((0..<33_400).filter { $0 != 12_000 }).runCount == 2)
        #expect(StepTargets([1, 3, 5]).runCount == 3)
    }
}
