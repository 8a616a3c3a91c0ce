/// The requesters one task may use, each made on first use: a task talks to one service, and
/// a requester is an allocation and a dozen fields to set.
///
/// Not `Sendable`: like the requesters it holds, it belongs to the worker running the task.
final class TaskRequesters {
    private let make: (AWSService) -> AWSRequester
    private var organizationsRequester: AWSRequester?
    private var accountRequester: AWSRequester?

    init(_ make: @escaping (AWSService) -> AWSRequester) {
        self.make = make
    }

    var organizations: AWSRequester {
        if let organizationsRequester { return organizationsRequester }
        let requester = make(.organizations)
        organizationsRequester = requester
        return requester
    }

    var account: AWSRequester {
        if let accountRequester { return accountRequester }
        let requester = make(.account)
        accountRequester = requester
        return requester
    }

    /// Over the requesters made: attempts sent, throttled answers, and the last request id
    /// (the Account API's first: a contact task's write is its last request).
    var attemptsMade: Int { (organizationsRequester?.attemptsMade ?? 0) + (accountRequester?.attemptsMade ?? 0) }
    var throttlesSeen: Int { (organizationsRequester?.throttlesSeen ?? 0) + (accountRequester?.throttlesSeen ?? 0) }
    var lastRequestID: String? { accountRequester?.lastRequestID ?? organizationsRequester?.lastRequestID }
}
