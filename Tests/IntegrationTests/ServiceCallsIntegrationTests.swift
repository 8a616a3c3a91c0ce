import Foundation
import OrgBatch
import OrgBatchCurl
import Testing

@Suite("Every client call against the local AWS, signatures checked", .serialized)
struct ServiceCallsIntegrationTests {
    static var spec: [String: Any] { [
        "orgs": [
            [
                "name": "north", "ous": ["Prod", "Prod/Web", "Sandbox"],
                "accounts": [
                    ["name": "web1", "email": "web1@north.example.com", "ou": "Prod/Web"],
                    ["name": "web2", "email": "web2@north.example.com", "ou": "Prod/Web"],
                    ["name": "tools", "email": "tools@north.example.com", "ou": "Prod"],
                    ["name": "sandbox", "email": "sb@north.example.com", "ou": "Sandbox", "state": "SUSPENDED"],
                    ["name": "loose", "email": "loose@north.example.com"],
                ]
                    + (1...22).map { ["name": "bulk\($0)", "email": "bulk\($0)@north.example.com"] },
            ],
            ["name": "south", "accounts": [["name": "s1", "email": "s1@south.example.com"]]],
        ]
    ] }

    let seed: Seed

    init() throws {
        seed = try LocalAWS.seed(Self.spec)
    }

    @Test func twoOrganizationsThroughAssumedRoles() throws {
        for name in ["north", "south"] {
            let org = seed.org(name)
            let clients = try Clients(profile: org.profile, seed: seed)
            let identity = try clients.sts.getCallerIdentity()
            #expect(identity.account == org.managementAccountId)
            #expect(identity.arn.contains(":assumed-role/OrganizationAccountAccessRole/"))
            let organization = try clients.organizations.describeOrganization()
            #expect(organization.id == org.orgId)
            #expect(organization.masterAccountId == org.managementAccountId)
            #expect(organization.hasAllFeatures)
        }
    }

    @Test func organizationStructureAndPagination() throws {
        let north = seed.org("north")
        let client = try Clients(profile: north.profile, seed: seed).organizations

        let roots = try client.listRoots()
        #expect(roots.map(\.id) == [north.rootId])

        // 27 members and the management account: more than one page of 20.
        let accounts = try client.listAccounts()
        #expect(accounts.count == 28)
        #expect(Set(accounts.map(\.id)) == Set(north.accounts.map(\.id) + [north.managementAccountId]))
        let sandbox = try #require(accounts.first { $0.name == "sandbox" })
        #expect(sandbox.effectiveState == "SUSPENDED")
        #expect(!sandbox.isActive)

        let topOUs = try client.listOrganizationalUnitsForParent(parentId: north.rootId)
        #expect(Set(topOUs.compactMap(\.name)) == ["Prod", "Sandbox"])
        let prod = try #require(north.ous["Prod"])
        let web = try #require(north.ous["Prod/Web"])
        #expect(try client.listOrganizationalUnitsForParent(parentId: prod).map(\.id) == [web])

        let webChildren = try client.listChildren(parentId: web, childType: "ACCOUNT")
        let webIDs = Set(north.accounts.filter { $0.ou == "Prod/Web" }.map(\.id))
        #expect(Set(webChildren.map(\.id)) == webIDs)
        #expect(webChildren.allSatisfy { $0.type == "ACCOUNT" })
        #expect(try client.listChildren(parentId: prod, childType: "ORGANIZATIONAL_UNIT").map(\.id) == [web])
        #expect(Set(try client.listAccountsForParent(parentId: web).map(\.id)) == webIDs)

        let tools = try #require(north.accounts.first { $0.name == "tools" })
        let described = try client.describeAccount(accountId: tools.id)
        #expect(described.email == "tools@north.example.com")
        #expect(described.isActive)
    }

    @Test func trustedAccessDelegatedAdminAndContacts() throws {
        let north = seed.org("north")
        let clients = try Clients(profile: north.profile, seed: seed)
        let organizations = clients.organizations
        let account = clients.account
        let member = try #require(north.accounts.first { $0.name == "web1" }).id
        let principal = "account.amazonaws.com"
        let contact = AlternateContact(
            type: .security, emailAddress: "secops@north.example.com", name: "Sec Ops", phoneNumber: "+1 555 0100",
            title: "Security")

        // Before trusted access, AWS refuses AccountId for a member.
        #expect {
            try account.putAlternateContact(accountId: member, contact: contact)
        } throws: { ($0 as? AWSError)?.code == "AccessDeniedException" && ($0 as? AWSError)?.httpStatus == 403 }

        try organizations.enableAWSServiceAccess(servicePrincipal: principal)
        #expect(try organizations.listAWSServiceAccessForOrganization().map(\.servicePrincipal).contains(principal))

        // Member contacts, with AccountId.
        #expect(try account.getAlternateContact(accountId: member, type: .security) == nil)
        try account.putAlternateContact(accountId: member, contact: contact)
        var stored = try #require(try account.getAlternateContact(accountId: member, type: .security))
        #expect(stored.sameValues(as: contact))
        #expect(try account.deleteAlternateContact(accountId: member, type: .security) == true)
        #expect(try account.deleteAlternateContact(accountId: member, type: .security) == false)
        #expect(try account.getAlternateContact(accountId: member, type: .security) == nil)

        // The management account: without AccountId; with its own id AWS says AccessDenied.
        var billing = contact
        billing.alternateContactType = .billing
        try account.putAlternateContact(accountId: nil, contact: billing)
        stored = try #require(try account.getAlternateContact(accountId: nil, type: .billing))
        #expect(stored.sameValues(as: billing))
        #expect {
            _ = try account.getAlternateContact(accountId: north.managementAccountId, type: .billing)
        } throws: { ($0 as? AWSError)?.code == "AccessDeniedException" }

        // Contact information.
        let information = ContactInformation(
            addressLine1: "1 Main St", city: "Zürich", countryCode: "CH", fullName: "Örg Admin", phoneNumber: "+41 44 000 00 00",
            postalCode: "8000")
        try account.putContactInformation(accountId: member, information: information)
        #expect(try account.getContactInformation(accountId: member) == information)

        // Delegated administrator for the Account Management service.
        let admin = try #require(north.accounts.first { $0.name == "tools" }).id
        try organizations.registerDelegatedAdministrator(accountId: admin, servicePrincipal: principal)
        #expect {
            try organizations.registerDelegatedAdministrator(accountId: admin, servicePrincipal: principal)
        } throws: { ($0 as? AWSError)?.classification == .noOp }
        #expect(try organizations.listDelegatedAdministrators(servicePrincipal: principal).map(\.id) == [admin])
        #expect(try organizations.listDelegatedAdministrators().map(\.id).contains(admin))
        #expect(try organizations.listDelegatedServicesForAccount(accountId: admin).map(\.servicePrincipal) == [principal])
        try organizations.deregisterDelegatedAdministrator(accountId: admin, servicePrincipal: principal)
        #expect(try organizations.listDelegatedAdministrators(servicePrincipal: principal).isEmpty)
        #expect {
            try organizations.deregisterDelegatedAdministrator(accountId: admin, servicePrincipal: principal)
        } throws: { ($0 as? AWSError)?.classification == .noOp }

        try organizations.disableAWSServiceAccess(servicePrincipal: principal)
        #expect(!(try organizations.listAWSServiceAccessForOrganization().map(\.servicePrincipal).contains(principal)))
    }

    @Test func trustedAccessIsPerOrganization() throws {
        let south = seed.org("south")
        let clients = try Clients(profile: south.profile, seed: seed)
        let member = south.accounts[0].id
        #expect {
            _ = try clients.account.getAlternateContact(accountId: member, type: .operations)
        } throws: { ($0 as? AWSError)?.code == "AccessDeniedException" }
    }
}
