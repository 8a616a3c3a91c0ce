import Foundation
import Synchronization

@testable import OrgBatch

/// An in-memory AWS for engine tests: enough of Organizations, Account and STS to run jobs,
/// following AWS's rules (AccountId needs trusted access and may not name the management
/// account; absent contacts are 404s), with faults and hooks a test can script.
///
/// The caller's account comes from the access key: `AKIA` + the 12-digit account id.
final class FakeAWS: TransportFactory, @unchecked Sendable {
    // @unchecked Sendable: all mutable state sits in `state`, guarded by its Mutex.
    struct Member {
        var id: String
        var state = "ACTIVE"
        var parent: String
    }

    struct Org {
        var id: String
        var management: String
        var allFeatures = true
        var members: [Member]
        /// OU id -> (name, parent id)
        var ous: [String: (name: String, parent: String)] = [:]
        var trusted: Set<String> = []
        var admins: [String: Set<String>] = [:]
        var contacts: [String: [String: [String: String]]] = [:]
        /// Per-account contact information is not modelled.
        var rootID: String { "r-" + id.dropFirst(2).prefix(4) }

        /// An org with trusted access for account.amazonaws.com on and `count` members in its
        /// root, numbered from the management account's id plus one.
        static func trusted(id: String, management: String, members count: Int) -> Org {
            var org = Org(
                id: id, management: management,
                members: (1...count).map { .init(id: String(Int(management)! + $0), parent: "r-root") })
            org.trusted = ["account.amazonaws.com"]
            return org
        }
    }

    struct Fault {
        var status: Int
        var code: String
        var message: String
        /// Fail only this many times (nil: always).
        var times: Int?
    }

    private struct State {
        var orgs: [String: Org] = [:]  // by management account
        var faults: [String: Fault] = [:]  // "account:Operation"
        var calls: [String] = []  // "account:Operation[:target]"
    }

    private let state = Mutex(State())
    /// Runs (outside the lock) before each request is answered: "account:Operation".
    let hook: Mutex<(@Sendable (String) -> Void)?> = Mutex(nil)

    func add(_ org: Org) { state.withLock { $0.orgs[org.management] = org } }

    func fail(_ account: String, _ operation: String, _ fault: Fault) {
        state.withLock { $0.faults["\(account):\(operation)"] = fault }
    }

    var calls: [String] { state.withLock { $0.calls } }

    func org(_ management: String) -> Org { state.withLock { $0.orgs[management]! } }

    /// Calls whose operation writes.
    var writes: [String] {
        calls.filter { call in
            ["Enable", "Disable", "Register", "Deregister", "Put", "Delete"].contains { call.split(separator: ":")[1].hasPrefix($0) }
        }
    }

    func makeTransport() -> any Transport {
        transportsMade.withLock { $0 += 1 }
        return FakeTransport(aws: self)
    }

    /// Transports handed out: one per worker, plus one per preflight read made alongside and one per account-list reader thread.
    let transportsMade = Mutex(0)

    /// Accounts per `ListAccounts` page (AWS gives up to 20, with a `NextToken` on every page
    /// but the last); nil: all in one page.
    let accountsPerPage = Mutex<Int?>(nil)

    /// A profile set: `[profile NAME]` with the account's keys and a fake https endpoint.
    static func config(_ profiles: [String: String]) throws -> SharedConfig {
        var text = ""
        for (name, account) in profiles.sorted(by: { $0.key < $1.key }) {
            text += "[profile \(name)]\naws_access_key_id = AKIA\(account)\naws_secret_access_key = secret-\(account)\n"
            text += "region = us-east-1\nendpoint_url = https://fake.aws.test\n"
        }
        return SharedConfig(config: try ConfigFile.parse(text, path: "fake-config"), credentials: nil)
    }

    // MARK: Answering

    fileprivate func answer(_ request: HTTPRequest) -> HTTPResponse {
        let caller = Self.callerAccount(request)
        let (service, operation) = Self.operation(request)
        let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
        let key = "\(caller):\(operation)"
        let target = (body["AccountId"] as? String).map { ":" + $0 } ?? ""
        state.withLock { $0.calls.append(key + target) }
        if let hook = hook.withLock({ $0 }) { hook(key) }

        let fault: Fault? = state.withLock { state in
            guard var fault = state.faults[key] else { return nil }
            if let times = fault.times {
                if times <= 0 { return nil }
                fault.times = times - 1
                state.faults[key] = fault
            }
            return fault
        }
        if let fault { return error(service, fault.status, fault.code, fault.message) }

        return state.withLock { state in
            guard caller.count == 12 else { return error(service, 403, "UnrecognizedClientException", "bad key") }
            if service == "sts" {
                return HTTPResponse(
                    status: 200,
                    body: Array(
                        "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::\(caller):user/u</Arn><UserId>U</UserId><Account>\(caller)</Account></GetCallerIdentityResult></GetCallerIdentityResponse>"
                            .utf8))
            }
            guard let management = state.orgs.first(where: { $0.value.management == caller || $0.value.members.contains { $0.id == caller } })?.key,
                var org = state.orgs[management]
            else {
                return error(service, 400, "AWSOrganizationsNotInUseException", "not in an organization")
            }
            defer { state.orgs[management] = org }
            return service == "account"
                ? account(operation, body, caller: caller, org: &org) : organizations(operation, body, caller: caller, org: &org)
        }
    }

    private func organizations(_ operation: String, _ body: [String: Any], caller: String, org: inout Org) -> HTTPResponse {
        let principal = body["ServicePrincipal"] as? String ?? ""
        switch operation {
        case "DescribeOrganization":
            return json([
                "Organization": [
                    "Id": org.id, "FeatureSet": org.allFeatures ? "ALL" : "CONSOLIDATED_BILLING", "MasterAccountId": org.management,
                ]
            ])
        case "ListAccounts":
            let all = [Member(id: org.management, parent: org.rootID)] + org.members
            let size = accountsPerPage.withLock { $0 } ?? max(all.count, 1)
            let start = (body["NextToken"] as? String).flatMap { Int($0.dropFirst("page-".count)) } ?? 0
            let page = all.dropFirst(start).prefix(size)
            var answer: [String: Any] = ["Accounts": page.map { ["Id": $0.id, "State": $0.state] }]
            if start + size < all.count { answer["NextToken"] = "page-\(start + size)" }
            return json(answer)
        case "ListRoots":
            return json(["Roots": [["Id": org.rootID]]])
        case "ListAccountsForParent":
            let parent = body["ParentId"] as! String
            let all = [Member(id: org.management, parent: org.rootID)] + org.members
            return json(["Accounts": all.filter { $0.parent == parent }.map { ["Id": $0.id, "State": $0.state] }])
        case "ListOrganizationalUnitsForParent":
            let parent = body["ParentId"] as! String
            return json(["OrganizationalUnits": org.ous.filter { $0.value.parent == parent }.map { ["Id": $0.key, "Name": $0.value.name] }])
        case "ListAWSServiceAccessForOrganization":
            return json(["EnabledServicePrincipals": org.trusted.sorted().map { ["ServicePrincipal": $0] }])
        case "EnableAWSServiceAccess":
            org.trusted.insert(principal)
            return json([:])
        case "DisableAWSServiceAccess":
            org.trusted.remove(principal)
            return json([:])
        case "ListDelegatedAdministrators":
            let ids = body["ServicePrincipal"] == nil ? org.admins.values.reduce(Set()) { $0.union($1) } : org.admins[principal] ?? []
            return json(["DelegatedAdministrators": ids.sorted().map { ["Id": $0] }])
        case "ListDelegatedServicesForAccount":
            let id = body["AccountId"] as! String
            return json(["DelegatedServices": org.admins.filter { $0.value.contains(id) }.keys.sorted().map { ["ServicePrincipal": $0] }])
        case "RegisterDelegatedAdministrator":
            let id = body["AccountId"] as! String
            guard org.trusted.contains(principal) else {
                return error("organizations", 400, "ConstraintViolationException", "enable service access first")
            }
            if org.admins[principal]?.contains(id) == true {
                return error("organizations", 400, "AccountAlreadyRegisteredException", "already")
            }
            org.admins[principal, default: []].insert(id)
            return json([:])
        case "DeregisterDelegatedAdministrator":
            let id = body["AccountId"] as! String
            guard org.admins[principal]?.remove(id) != nil else {
                return error("organizations", 400, "AccountNotRegisteredException", "not registered")
            }
            return json([:])
        default:
            return error("organizations", 400, "InvalidInputException", "unsupported \(operation)")
        }
    }

    private func account(_ operation: String, _ body: [String: Any], caller: String, org: inout Org) -> HTTPResponse {
        var target = caller
        if let id = body["AccountId"] as? String {
            guard org.trusted.contains("account.amazonaws.com"), caller == org.management, id != org.management,
                org.members.contains(where: { $0.id == id })
            else {
                return error("account", 403, "AccessDeniedException", "not authorized to perform account:\(operation)")
            }
            target = id
        }
        let type = body["AlternateContactType"] as? String ?? ""
        switch operation {
        case "GetAlternateContact":
            guard let contact = org.contacts[target]?[type] else { return error("account", 404, "ResourceNotFoundException", "none") }
            return json(["AlternateContact": contact.merging(["AlternateContactType": type]) { $1 }])
        case "PutAlternateContact":
            org.contacts[target, default: [:]][type] = [
                "Name": body["Name"] as! String, "Title": body["Title"] as! String,
                "EmailAddress": body["EmailAddress"] as! String, "PhoneNumber": body["PhoneNumber"] as! String,
            ]
            return json([:])
        case "DeleteAlternateContact":
            guard org.contacts[target]?.removeValue(forKey: type) != nil else {
                return error("account", 404, "ResourceNotFoundException", "none")
            }
            return json([:])
        default:
            return error("account", 400, "ValidationException", "unsupported")
        }
    }

    private func json(_ object: [String: Any]) -> HTTPResponse {
        HTTPResponse(
            status: 200, headers: [("x-amzn-RequestId", "fake-\(UUID().uuidString.prefix(8))")],
            body: Array(try! JSONSerialization.data(withJSONObject: object)))
    }

    private func error(_ service: String, _ status: Int, _ code: String, _ message: String) -> HTTPResponse {
        if service == "sts" {
            return HTTPResponse(status: status, body: Array("<ErrorResponse><Error><Code>\(code)</Code><Message>\(message)</Message></Error></ErrorResponse>".utf8))
        }
        if service == "account" {
            return HTTPResponse(
                status: status, headers: [("x-amzn-ErrorType", code)],
                body: Array(try! JSONSerialization.data(withJSONObject: ["message": message])))
        }
        return HTTPResponse(status: status, body: Array(try! JSONSerialization.data(withJSONObject: ["__type": code, "Message": message])))
    }

    static func callerAccount(_ request: HTTPRequest) -> String {
        let authorization = request.headers.first { $0.name == "Authorization" }?.value ?? ""
        guard let range = authorization.range(of: "Credential=AKIA") else { return "" }
        return String(authorization[range.upperBound...].prefix(12))
    }

    static func operation(_ request: HTTPRequest) -> (service: String, operation: String) {
        if let target = request.headers.first(where: { $0.name == "X-Amz-Target" })?.value {
            return ("organizations", String(target.split(separator: ".").last!))
        }
        let path = request.url.split(separator: "/").last.map(String.init) ?? ""
        if path.hasSuffix("AlternateContact") || path.hasSuffix("ContactInformation") {
            return ("account", path.prefix(1).uppercased() + path.dropFirst())
        }
        return ("sts", "GetCallerIdentity")
    }
}

/// One worker's connection to the fake.
final class FakeTransport: Transport {
    let aws: FakeAWS

    init(aws: FakeAWS) { self.aws = aws }

    func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        aws.answer(request)
    }
}
