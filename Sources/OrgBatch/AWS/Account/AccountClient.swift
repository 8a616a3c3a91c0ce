/// AWS Account Management over REST-JSON: `POST /<operation>` with a JSON body.
///
/// `accountId` is nil to act on the caller's own account (the management account must be
/// called that way: the API refuses its own id), or a member account's id, which needs
/// trusted access for `account.amazonaws.com` in the organization.
public struct AccountClient {
    let requester: AWSRequester

    public init(requester: AWSRequester) {
        precondition(requester.endpoint.service == .account)
        self.requester = requester
    }

    /// - Returns: the contact, or nil when none of that type is set (`ResourceNotFoundException`).
    public func getAlternateContact(accountId: String?, type: AlternateContactType) throws(AWSError) -> AlternateContact? {
        let input = Self.members(("AccountId", accountId), ("AlternateContactType", type.rawValue))
        do {
            return try call("GetAlternateContact", "/getAlternateContact", input, as: GetAlternateContactResponse.self)
                .alternateContact
        } catch where error.code == "ResourceNotFoundException" && error.origin == .service {
            return nil
        }
    }

    public func putAlternateContact(accountId: String?, contact: AlternateContact) throws(AWSError) {
        let input = Self.putMembers(accountId: accountId, contact)
        _ = try call("PutAlternateContact", "/putAlternateContact", input, as: EmptyShape.self)
    }

    /// The same request with its body made from a contact prepared once for many accounts.
    public func putAlternateContact(accountId: String?, body: AlternateContactBody) throws(AWSError) {
        _ = try call("PutAlternateContact", "/putAlternateContact", body: body.bytes(accountId: accountId), as: EmptyShape.self)
    }

    /// - Returns: false when there was no such contact to delete (a no-op, not a failure).
    @discardableResult
    public func deleteAlternateContact(accountId: String?, type: AlternateContactType) throws(AWSError) -> Bool {
        let input = Self.members(("AccountId", accountId), ("AlternateContactType", type.rawValue))
        do {
            _ = try call("DeleteAlternateContact", "/deleteAlternateContact", input, as: EmptyShape.self)
            return true
        } catch where error.classification == .noOp {
            return false
        }
    }

    public func getContactInformation(accountId: String?) throws(AWSError) -> ContactInformation? {
        let input = Self.members(("AccountId", accountId))
        do {
            return try call("GetContactInformation", "/getContactInformation", input, as: GetContactInformationResponse.self)
                .contactInformation
        } catch where error.code == "ResourceNotFoundException" && error.origin == .service {
            return nil
        }
    }

    public func putContactInformation(accountId: String?, information: ContactInformation) throws(AWSError) {
        let body = PutContactInformationRequest(accountId: accountId, contactInformation: information)
        let request = AWSRequest(
            operation: "PutContactInformation", path: "/putContactInformation",
            headers: [("Content-Type", "application/json")], body: AWSJSON.encode(body))
        let response = try requester.send(request)
        _ = try AWSJSON.decode(EmptyShape.self, from: response, service: .account, operation: "PutContactInformation")
    }

    func call<Output: Decodable>(
        _ operation: String, _ path: String, _ input: [(String, String)], as output: Output.Type
    ) throws(AWSError) -> Output {
        try call(operation, path, body: AWSJSON.encode(members: input), as: output)
    }

    func call<Output: Decodable>(
        _ operation: String, _ path: String, body: [UInt8], as: Output.Type
    ) throws(AWSError) -> Output {
        let request = AWSRequest(
            operation: operation, path: path, headers: [("Content-Type", "application/json")], body: body)
        let response = try requester.send(request)
        return try AWSJSON.decode(Output.self, from: response, service: .account, operation: operation)
    }
}

extension AccountClient {
    /// `PutAlternateContact`'s members.
    static func putMembers(accountId: String?, _ contact: AlternateContact) -> [(String, String)] {
        members(
            ("AccountId", accountId), ("AlternateContactType", contact.alternateContactType?.rawValue),
            ("EmailAddress", contact.emailAddress), ("Name", contact.name), ("PhoneNumber", contact.phoneNumber),
            ("Title", contact.title))
    }

    /// A request's members, those without a value left out.
    static func members(_ members: (String, String?)...) -> [(String, String)] {
        var present: [(String, String)] = []
        present.reserveCapacity(members.count)
        for case let (name, value?) in members { present.append((name, value)) }
        return present
    }
}

struct GetAlternateContactResponse: Decodable { var alternateContact: AlternateContact? }
struct GetContactInformationResponse: Decodable { var contactInformation: ContactInformation? }

struct PutContactInformationRequest: Encodable {
    var accountId: String?
    var contactInformation: ContactInformation
}
