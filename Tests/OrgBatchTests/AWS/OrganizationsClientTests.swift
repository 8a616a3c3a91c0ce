import Foundation
import Testing

@testable import OrgBatch

@Suite("Organizations client: JSON 1.1 wire format and pagination")
struct OrganizationsClientTests {
    @Test func listAccountsFollowsNextTokenThroughEmptyPages() throws {
        let transport = ScriptedTransport([
            ScriptedTransport.json(200, ["Accounts": [["Id": "111111111111", "State": "ACTIVE", "Status": "ACTIVE"]], "NextToken": "t1"]),
            ScriptedTransport.json(200, ["Accounts": [], "NextToken": "t2"]),
            ScriptedTransport.json(200, ["NextToken": "t3"]),
            ScriptedTransport.json(200, [
                "Accounts": [
                    ["Id": "222222222222", "Status": "SUSPENDED", "JoinedTimestamp": 1.481835795536E9],
                    ["Id": "333333333333", "State": "CLOSED", "Status": "SUSPENDED"],
                ]
            ]),
        ])
        let accounts = try OrganizationsClient(requester: Fixtures.requester(.organizations, transport)).listAccounts()
        #expect(accounts.map(\.id) == ["111111111111", "222222222222", "333333333333"])
        #expect(accounts.map(\.effectiveState) == ["ACTIVE", "SUSPENDED", "CLOSED"])
        #expect(accounts[1].joinedTimestamp == Date(timeIntervalSince1970: 1_481_835_795.536))

        let sent = transport.sent
        #expect(sent.count == 4)
        #expect(sent.allSatisfy { $0.header("X-Amz-Target") == "AWSOrganizationsV20161128.ListAccounts" })
        #expect(sent.allSatisfy { $0.header("Content-Type") == "application/x-amz-json-1.1" })
        #expect(sent.allSatisfy { $0.url == "https://organizations.us-east-1.amazonaws.com/" })
        #expect(sent.map { $0.bodyJSON["NextToken"] as? String } == [nil, "t1", "t2", "t3"])
    }

    @Test func accountsPageByPageResumeOnAnotherClient() throws {
        let first = ScriptedTransport([
            ScriptedTransport.json(200, ["Accounts": [["Id": "111111111111", "State": "ACTIVE"]], "NextToken": "t1"])
        ])
        var position = PagePosition()
        let page = try OrganizationsClient(requester: Fixtures.requester(.organizations, first))
            .listAccountSummaries(page: &position)
        #expect(page.map(\.id) == ["111111111111"])
        #expect(position.nextToken == "t1" && !position.isFinished)

        // Another thread, another transport: the position is all it needs.
        let rest = ScriptedTransport([
            ScriptedTransport.json(200, ["Accounts": [], "NextToken": "t2"]),
            ScriptedTransport.json(200, ["Accounts": [["Id": "222222222222", "State": "SUSPENDED"]]]),
        ])
        let client = OrganizationsClient(requester: Fixtures.requester(.organizations, rest))
        #expect(try client.listAccountSummaries(page: &position).isEmpty)
        #expect(!position.isFinished)
        #expect(try client.listAccountSummaries(page: &position).map(\.id) == ["222222222222"])
        #expect(position.isFinished)
        #expect(rest.sent.map { $0.bodyJSON["NextToken"] as? String } == ["t1", "t2"])
    }

    @Test func aRepeatedTokenIsAnErrorNotALoop() throws {
        let transport = ScriptedTransport(fallback: { _ in
            HTTPResponse(status: 200, body: Array(#"{"Roots":[],"NextToken":"same"}"#.utf8))
        })
        #expect {
            _ = try OrganizationsClient(requester: Fixtures.requester(.organizations, transport)).listRoots()
        } throws: { ($0 as? AWSError)?.code == "orgbatch.pagination-loop" }
        #expect(transport.sent.count == 2)
    }

    @Test func requestBodies() throws {
        let transport = ScriptedTransport(fallback: { _ in HTTPResponse(status: 200, body: []) })
        let client = OrganizationsClient(requester: Fixtures.requester(.organizations, transport))
        try client.enableAWSServiceAccess(servicePrincipal: "account.amazonaws.com")
        try client.registerDelegatedAdministrator(accountId: "123456789012", servicePrincipal: "account.amazonaws.com")
        _ = try client.listChildren(parentId: "r-abcd", childType: "ACCOUNT")
        _ = try client.listDelegatedAdministrators()
        let sent = transport.sent
        #expect(sent[0].bodyText == #"{"ServicePrincipal":"account.amazonaws.com"}"#)
        #expect(sent[1].bodyText == #"{"AccountId":"123456789012","ServicePrincipal":"account.amazonaws.com"}"#)
        #expect(sent[1].header("X-Amz-Target") == "AWSOrganizationsV20161128.RegisterDelegatedAdministrator")
        #expect(sent[2].bodyJSON as? [String: String] == ["ParentId": "r-abcd", "ChildType": "ACCOUNT"])
        #expect(sent[3].bodyText == "{}")
    }

    @Test func describeOrganization() throws {
        let transport = ScriptedTransport([
            ScriptedTransport.json(200, [
                "Organization": [
                    "Id": "o-abcdefghij", "FeatureSet": "ALL", "MasterAccountId": "111111111111",
                    "MasterAccountArn": "arn:aws:organizations::111111111111:account/o-abcdefghij/111111111111",
                    "AvailablePolicyTypes": [["Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"]],
                ]
            ])
        ])
        let organization = try OrganizationsClient(requester: Fixtures.requester(.organizations, transport)).describeOrganization()
        #expect(organization.id == "o-abcdefghij")
        #expect(organization.hasAllFeatures)
        #expect(organization.masterAccountId == "111111111111")
    }

    @Test func malformedBodiesAreErrorsWithContext() throws {
        let transport = ScriptedTransport([ScriptedTransport.text(200, "not json")])
        #expect {
            _ = try OrganizationsClient(requester: Fixtures.requester(.organizations, transport)).describeOrganization()
        } throws: { error in
            let error = error as! AWSError
            return error.code == "orgbatch.malformed-response" && error.operation == "DescribeOrganization"
        }
    }
}
