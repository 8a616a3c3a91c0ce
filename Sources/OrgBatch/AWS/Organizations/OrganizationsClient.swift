/// AWS Organizations over its JSON 1.1 protocol: `POST /` with
/// `X-Amz-Target: AWSOrganizationsV20161128.<Operation>`.
///
/// List calls follow `NextToken` until it is absent, through empty pages too: the API
/// documents that a page may be empty while more results follow.
public struct OrganizationsClient {
    public static let targetPrefix = "AWSOrganizationsV20161128"

    let requester: AWSRequester

    public init(requester: AWSRequester) {
        precondition(requester.endpoint.service == .organizations)
        self.requester = requester
    }

    // MARK: The organization and its structure

    public func describeOrganization() throws(AWSError) -> Organization {
        try call("DescribeOrganization", [:], as: DescribeOrganizationResponse.self).organization
    }

    public func listRoots() throws(AWSError) -> [Root] {
        try paginate("ListRoots", [:], as: ListRootsResponse.self)
    }

    public func listOrganizationalUnitsForParent(parentId: String) throws(AWSError) -> [OrganizationalUnit] {
        try paginate("ListOrganizationalUnitsForParent", ["ParentId": parentId], as: ListOUsResponse.self)
    }

    /// - Parameter childType: `ACCOUNT` or `ORGANIZATIONAL_UNIT`.
    public func listChildren(parentId: String, childType: String) throws(AWSError) -> [Child] {
        try paginate("ListChildren", ["ParentId": parentId, "ChildType": childType], as: ListChildrenResponse.self)
    }

    public func listAccounts() throws(AWSError) -> [Account] {
        try paginate("ListAccounts", [:], as: ListAccountsResponse.self)
    }

    public func listAccountsForParent(parentId: String) throws(AWSError) -> [Account] {
        try paginate("ListAccountsForParent", ["ParentId": parentId], as: ListAccountsResponse.self)
    }

    /// `ListAccounts` decoded to ids and states only: what a run keeps of an organization of
    /// thousands of accounts, without holding every name, email and ARN on the way.
    public func listAccountSummaries() throws(AWSError) -> [AccountSummary] {
        try paginate("ListAccounts", [:], as: ListAccountSummariesResponse.self)
    }

    /// One page of `listAccountSummaries()`, from `position` on, which moves to the next page.
    public func listAccountSummaries(page position: inout PagePosition) throws(AWSError) -> [AccountSummary] {
        try nextPage("ListAccounts", [:], at: &position, as: ListAccountSummariesResponse.self)
    }

    public func listAccountSummariesForParent(parentId: String) throws(AWSError) -> [AccountSummary] {
        try paginate("ListAccountsForParent", ["ParentId": parentId], as: ListAccountSummariesResponse.self)
    }

    public func describeAccount(accountId: String) throws(AWSError) -> Account {
        try call("DescribeAccount", ["AccountId": accountId], as: DescribeAccountResponse.self).account
    }

    // MARK: Trusted access

    public func enableAWSServiceAccess(servicePrincipal: String) throws(AWSError) {
        _ = try call("EnableAWSServiceAccess", ["ServicePrincipal": servicePrincipal], as: EmptyShape.self)
    }

    public func disableAWSServiceAccess(servicePrincipal: String) throws(AWSError) {
        _ = try call("DisableAWSServiceAccess", ["ServicePrincipal": servicePrincipal], as: EmptyShape.self)
    }

    public func listAWSServiceAccessForOrganization() throws(AWSError) -> [EnabledServicePrincipal] {
        try paginate("ListAWSServiceAccessForOrganization", [:], as: ListServiceAccessResponse.self)
    }

    // MARK: Delegated administrators

    public func registerDelegatedAdministrator(accountId: String, servicePrincipal: String) throws(AWSError) {
        _ = try call(
            "RegisterDelegatedAdministrator", ["AccountId": accountId, "ServicePrincipal": servicePrincipal],
            as: EmptyShape.self)
    }

    public func deregisterDelegatedAdministrator(accountId: String, servicePrincipal: String) throws(AWSError) {
        _ = try call(
            "DeregisterDelegatedAdministrator", ["AccountId": accountId, "ServicePrincipal": servicePrincipal],
            as: EmptyShape.self)
    }

    /// - Parameter servicePrincipal: only the administrators of this service, or all when nil.
    public func listDelegatedAdministrators(servicePrincipal: String? = nil) throws(AWSError) -> [DelegatedAdministrator] {
        try paginate(
            "ListDelegatedAdministrators", servicePrincipal.map { ["ServicePrincipal": $0] } ?? [:],
            as: ListDelegatedAdministratorsResponse.self)
    }

    public func listDelegatedServicesForAccount(accountId: String) throws(AWSError) -> [DelegatedService] {
        try paginate("ListDelegatedServicesForAccount", ["AccountId": accountId], as: ListDelegatedServicesResponse.self)
    }

    // MARK: Protocol

    func call<Output: Decodable>(_ operation: String, _ input: [String: String], as: Output.Type) throws(AWSError) -> Output {
        let request = AWSRequest(
            operation: operation,
            headers: [
                ("Content-Type", "application/x-amz-json-1.1"),
                ("X-Amz-Target", "\(Self.targetPrefix).\(operation)"),
            ],
            body: AWSJSON.encode(input))
        let response = try requester.send(request)
        return try AWSJSON.decode(Output.self, from: response, service: .organizations, operation: operation)
    }

    func paginate<Page: PaginatedResponse>(
        _ operation: String, _ input: [String: String], as: Page.Type
    ) throws(AWSError) -> [Page.Item] {
        var items: [Page.Item] = []
        var position = PagePosition()
        while !position.isFinished {
            items += try nextPage(operation, input, at: &position, as: Page.self)
        }
        return items
    }

    /// The page of `operation` at `position`; moves `position` to the page after it.
    func nextPage<Page: PaginatedResponse>(
        _ operation: String, _ input: [String: String], at position: inout PagePosition, as: Page.Type
    ) throws(AWSError) -> [Page.Item] {
        precondition(!position.isFinished, "no page after the last")
        var input = input
        input["NextToken"] = position.nextToken
        let page = try call(operation, input, as: Page.self)
        guard let token = page.nextToken, !token.isEmpty else {
            position.isFinished = true
            return page.items
        }
        // A service that hands back a token it gave before would loop for ever.
        guard position.seenTokens.insert(token).inserted else {
            throw AWSError(
                origin: .service, service: .organizations, operation: operation, code: "orgbatch.pagination-loop",
                message: "the service returned the same NextToken twice", classification: .terminal)
        }
        position.nextToken = token
        return page.items
    }
}

/// A page of a list operation.
protocol PaginatedResponse: Decodable {
    associatedtype Item
    var items: [Item] { get }
    var nextToken: String? { get }
}

struct DescribeOrganizationResponse: Decodable { var organization: Organization }
struct DescribeAccountResponse: Decodable { var account: Account }

struct ListRootsResponse: PaginatedResponse {
    var roots: [Root]?
    var nextToken: String?
    var items: [Root] { roots ?? [] }
}

struct ListOUsResponse: PaginatedResponse {
    var organizationalUnits: [OrganizationalUnit]?
    var nextToken: String?
    var items: [OrganizationalUnit] { organizationalUnits ?? [] }
}

struct ListChildrenResponse: PaginatedResponse {
    var children: [Child]?
    var nextToken: String?
    var items: [Child] { children ?? [] }
}

struct ListAccountsResponse: PaginatedResponse {
    var accounts: [Account]?
    var nextToken: String?
    var items: [Account] { accounts ?? [] }
}

struct ListAccountSummariesResponse: PaginatedResponse {
    var accounts: [AccountSummary]?
    var nextToken: String?
    var items: [AccountSummary] { accounts ?? [] }
}

struct ListServiceAccessResponse: PaginatedResponse {
    var enabledServicePrincipals: [EnabledServicePrincipal]?
    var nextToken: String?
    var items: [EnabledServicePrincipal] { enabledServicePrincipals ?? [] }
}

struct ListDelegatedAdministratorsResponse: PaginatedResponse {
    var delegatedAdministrators: [DelegatedAdministrator]?
    var nextToken: String?
    var items: [DelegatedAdministrator] { delegatedAdministrators ?? [] }
}

struct ListDelegatedServicesResponse: PaginatedResponse {
    var delegatedServices: [DelegatedService]?
    var nextToken: String?
    var items: [DelegatedService] { delegatedServices ?? [] }
}
