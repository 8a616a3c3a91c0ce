/// Where a paged list goes on: a plain value, so one thread can read the first page and
/// another the rest.
public struct PagePosition: Sendable, Equatable {
    /// The `NextToken` of the next page; nil for the first.
    public internal(set) var nextToken: String?
    public internal(set) var isFinished = false
    var seenTokens: Set<String> = []

    public init() {}
}
