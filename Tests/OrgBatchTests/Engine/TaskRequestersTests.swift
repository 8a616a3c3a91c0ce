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
        #expect(context.route(.account)?.taskSettings == nil)  // made without the run's settings
    }

    /// With the run's settings, each route makes its tasks' request settings once: its own
    /// endpoint, budget and signing keys, the profile's credentials, the caller's rate buckets
    /// and the run's limiter, clock and stop check.
    @Test func aRouteMakesItsTasksRequestSettingsOnce() throws {
        let budgets = RetryBudgets()
        let limiter = RateLimiter()
        let credentials = StaticCredentialProvider(Fixtures.keys, source: "test")
        let profile = ResolvedProfile(
            name: "p", region: "us-east-1", credentials: credentials,
            endpoints: Dictionary(uniqueKeysWithValues: AWSService.allCases.map { ($0, Fixtures.endpoint($0)) }), maxAttempts: nil)
        let run = RequestSettings.RunWide(
            clock: ManualClock(), timeouts: HTTPTimeouts(connect: 1, total: 2), rateLimiter: limiter, shouldStop: { true })
        let context = OrgContext(
            org: JobOrg(name: "prod", profile: "p", vars: [:], line: 1), profile: profile, organizationID: "o-1",
            managementAccountID: "1", callerAccountID: "222222222222", actions: [], maxAttempts: 3, retryBudgets: budgets,
            runRequests: run)
        for service in OrgContext.taskServices {
            let route = try #require(context.route(service))
            let settings = try #require(route.taskSettings)
            #expect(settings === context.route(service)?.taskSettings)
            #expect(settings.endpoint == profile.endpoint(service))
            #expect(settings.retryBudget === route.retryBudget)
            #expect(settings.signingKeys === route.signingKeys)
            #expect(settings.rateScope == "222222222222")
            #expect(settings.run.rateLimiter === limiter)
            #expect((settings.credentials as? StaticCredentialProvider) === credentials)
            #expect(settings.run.timeouts == HTTPTimeouts(connect: 1, total: 2))
            #expect(settings.run.shouldStop?() == true)
            let requester = AWSRequester(transport: ScriptedTransport(), settings: settings, retryPolicy: StandardRetryPolicy())
            #expect(requester.endpoint == route.endpoint)
        }
    }
}
