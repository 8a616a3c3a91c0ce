import Testing

@testable import OrgBatch

@Suite("AlternateContactBody: a contact's body made once, finished per account")
struct AlternateContactBodyTests {
    static let contacts = [
        AlternateContact(type: .security, emailAddress: "sec@example.com", name: "Sec Team", phoneNumber: "+1 555 0100", title: "CISO"),
        // Characters JSON escapes, and text beyond ASCII.
        AlternateContact(
            type: .billing, emailAddress: "a\"b@example.com", name: "Back\\slash\nNew line\ttab", phoneNumber: "+49 30 1",
            title: "Zoë — Ärztin"),
        // Values left out are left out of the body.
        AlternateContact(type: .operations, emailAddress: "ops@example.com", name: "Ops", phoneNumber: nil, title: nil),
    ]

    @Test(arguments: contacts)
    func theBodyIsWhatEncodingEveryMemberGives(_ contact: AlternateContact) {
        let body = AlternateContactBody(contact)
        for accountID in ["111122223333", "000000000000", "odd\"id", nil] {
            let expected = AWSJSON.encode(members: AccountClient.putMembers(accountId: accountID, contact))
            #expect(body.bytes(accountId: accountID) == expected, "account \(accountID ?? "nil")")
        }
    }

    @Test func anEmptyContactStillGetsItsAccount() {
        let body = AlternateContactBody(
            AlternateContact(type: nil, emailAddress: nil, name: nil, phoneNumber: nil, title: nil))
        #expect(String(decoding: body.bytes(accountId: "111122223333"), as: UTF8.self) == #"{"AccountId":"111122223333"}"#)
        #expect(String(decoding: body.bytes(accountId: nil), as: UTF8.self) == "{}")
    }
}
