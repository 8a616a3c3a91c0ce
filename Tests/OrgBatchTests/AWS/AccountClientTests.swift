import Testing

@testable import OrgBatch

@Suite("Account client: REST-JSON paths, AccountId and absent contacts")
struct AccountClientTests {
    let contact = AlternateContact(
        type: .security, emailAddress: "sec@example.com", name: "Sec Team", phoneNumber: "+1 555 0100", title: "CISO")

    @Test func putWithAndWithoutAccountId() throws {
        let transport = ScriptedTransport(fallback: { _ in HTTPResponse(status: 200, body: []) })
        let client = AccountClient(requester: Fixtures.requester(.account, transport))
        try client.putAlternateContact(accountId: "222222222222", contact: contact)
        try client.putAlternateContact(accountId: nil, contact: contact)
        let sent = transport.sent
        #expect(sent[0].url == "https://account.us-east-1.amazonaws.com/putAlternateContact")
        #expect(sent[0].header("Content-Type") == "application/json")
        #expect(
            sent[0].bodyJSON as? [String: String] == [
                "AccountId": "222222222222", "AlternateContactType": "SECURITY", "EmailAddress": "sec@example.com",
                "Name": "Sec Team", "PhoneNumber": "+1 555 0100", "Title": "CISO",
            ])
        #expect(sent[1].bodyJSON["AccountId"] == nil)
    }

    @Test func getReturnsTheContactOrNilWhenAbsent() throws {
        let transport = ScriptedTransport([
            ScriptedTransport.json(200, [
                "AlternateContact": [
                    "AlternateContactType": "SECURITY", "EmailAddress": "sec@example.com", "Name": "Sec Team",
                    "PhoneNumber": "+1 555 0100", "Title": "CISO",
                ]
            ]),
            ScriptedTransport.json(404, ["message": "none"], headers: [("x-amzn-ErrorType", "ResourceNotFoundException")]),
        ])
        let client = AccountClient(requester: Fixtures.requester(.account, transport))
        #expect(try client.getAlternateContact(accountId: "222222222222", type: .security) == contact)
        #expect(try client.getAlternateContact(accountId: "222222222222", type: .billing) == nil)
        #expect(transport.sent[1].url.hasSuffix("/getAlternateContact"))
    }

    @Test func deleteOfAnAbsentContactIsANoOp() throws {
        let transport = ScriptedTransport([
            ScriptedTransport.json(200, [:]),
            ScriptedTransport.json(404, ["message": "none"], headers: [("x-amzn-ErrorType", "ResourceNotFoundException")]),
        ])
        let client = AccountClient(requester: Fixtures.requester(.account, transport))
        #expect(try client.deleteAlternateContact(accountId: nil, type: .operations) == true)
        #expect(try client.deleteAlternateContact(accountId: nil, type: .operations) == false)
    }

    @Test func accessDeniedIsNotSwallowed() throws {
        let transport = ScriptedTransport([
            ScriptedTransport.json(403, ["message": "trusted access is not enabled"], headers: [("x-amzn-ErrorType", "AccessDeniedException")])
        ])
        #expect {
            _ = try AccountClient(requester: Fixtures.requester(.account, transport)).getAlternateContact(accountId: "222222222222", type: .billing)
        } throws: { ($0 as? AWSError)?.code == "AccessDeniedException" }
    }

    @Test func contactInformationRoundTrip() throws {
        let info = ContactInformation(
            addressLine1: "1 Main St", city: "Zürich", countryCode: "CH", fullName: "Ä Ö", phoneNumber: "+41 1",
            postalCode: "8000")
        let transport = ScriptedTransport([
            ScriptedTransport.json(200, [:]),
            ScriptedTransport.json(200, [
                "ContactInformation": [
                    "AddressLine1": "1 Main St", "City": "Zürich", "CountryCode": "CH", "FullName": "Ä Ö",
                    "PhoneNumber": "+41 1", "PostalCode": "8000",
                ]
            ]),
        ])
        let client = AccountClient(requester: Fixtures.requester(.account, transport))
        try client.putContactInformation(accountId: nil, information: info)
        #expect(try client.getContactInformation(accountId: nil) == info)
        let body = transport.sent[0].bodyJSON
        #expect((body["ContactInformation"] as? [String: Any])?["City"] as? String == "Zürich")
    }
}
