/// The directory members one step applies to, by index in member order, kept as runs of
/// consecutive indexes: a step usually targets every member, or every member but the
/// management account, so an organization of thousands of accounts needs a run or two, not an
/// index per account for each step of the job.
public struct StepTargets: Sendable, Equatable {
    /// Runs of consecutive member indexes, in order.
    private var runs: [Range<Int>] = []
    /// Targets before each run, for finding the run of a target.
    private var before: [Int] = []
    public private(set) var count = 0

    /// - Parameter indexes: member indexes, ascending.
    public init<Indexes: Sequence<Int>>(_ indexes: Indexes) {
        for index in indexes { append(index) }
    }

    /// Adds a target after the others: while an organization's account list is still being
    /// read, each page adds its accounts to the steps they match.
    /// - Parameter index: a member index above every target so far.
    public mutating func append(_ index: Int) {
        if let last = runs.last, last.upperBound == index {
            runs[runs.count - 1] = last.lowerBound..<index + 1
        } else {
            precondition(runs.last.map { index > $0.upperBound } ?? (index >= 0), "member indexes must ascend")
            runs.append(index..<index + 1)
            before.append(count)
        }
        count += 1
    }

    /// The member index of target `position` (0 ..< count).
    public subscript(position: Int) -> Int {
        precondition(position >= 0 && position < count, "target \(position) of \(count)")
        // The last run starting at or before `position`.
        var low = 0
        var high = runs.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if before[middle] <= position { low = middle } else { high = middle - 1 }
        }
        return runs[low].lowerBound + position - before[low]
    }

    /// The runs, for tests.
    var runCount: Int { runs.count }
}
