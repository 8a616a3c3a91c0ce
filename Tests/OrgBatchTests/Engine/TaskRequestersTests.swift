import Foundation
import Testing

@testable import OrgBatch

@Suite("TaskRequesters: a task's requesters, made on first use")
struct TaskRequestersTests {
    @Test func onlyTheServiceATaskUsesGetsARequester() throws {
        let transport = ScriptedTransport(fallback: { _ in
            HTTPResponse(status: 200, headers: [("x-amzn-RequestId", "req-1")], body: [])
        })
        var made: [AWSService] = []
        let requesters = TaskRequesters { service in
            made.append(service)
            return Fixtures.requester(service, transport)
        }
        #expect(made.isEmpty)
        #expect(requesters.attemptsMade == 0 && requesters.lastRequestID == nil)

        _ = try requesters.account.send(AWSRequest(operation: "PutAlternateContact", path: "/putAlternateContact"))
        _ = try requesters.account.send(AWSRequest(operation: "PutAlternateContact", path: "/putAlternateContact"))
        #expect(made == [.account])  // made once, and no Organizations requester
        #expect(requesters.attemptsMade == 2)
        #expect(requesters.lastRequestID == "req-1")

        _ = try requesters.organizations.send(AWSRequest(operation: "ListRoots"))
        #expect(made == [.account, .organizations])
        #expect(requesters.attemptsMade == 3)
    }

    @Test func anOrganizationsContextCarriesTheRunsBudgetsForItsServices() {
        let budgets = RetryBudgets()
        let profile = ResolvedProfile(
            name: "p", region: "us-east-1", credentials: StaticCredentialProvider(Fixtures.keys, source: "test"),
            endpoints: Dictionary(uniqueKeysWithValues: AWSService.allCases.map { ($0, Fixtures.endpoint($0)) }), maxAttempts: nil)
        let context = OrgContext(
            org: JobOrg(name: "prod", profile: "p", vars: [:], line: 1), profile: profile, organizationID: "o-1", managementAccountID: "1",
            callerAccountID: "1", actions: [], maxAttempts: 3, retryBudgets: budgets)
        for service in OrgContext.taskServices {
            let route = context.route(service)
            #expect(route?.endpoint == profile.endpoint(service))
            #expect(route?.retryBudget === budgets.budget(for: profile.endpoint(service)))
        }
        #expect(context.route(AWSService.sts) == nil)
    }
}
