/// A `PutAlternateContact` body made once for a contact and finished for each account.
///
/// Every member of an organization gets the same contact, so its JSON is written once per step,
/// not once per account: the account's id is the only member that changes, and it is the first
/// member in the body's key order (`AccountId` sorts before `AlternateContactType` and the rest).
public struct AlternateContactBody: Sendable {
    /// The body without `AccountId`: `{"AlternateContactType":…,"Title":…}`.
    let withoutAccount: [UInt8]

    public init(_ contact: AlternateContact) {
        withoutAccount = AWSJSON.encode(members: AccountClient.putMembers(accountId: nil, contact))
    }

    /// The body for `accountId` (nil: the caller's own account): byte for byte what encoding
    /// every member would give.
    public func bytes(accountId: String?) -> [UInt8] {
        guard let accountId else { return withoutAccount }
        var out = JSONWriter(capacity: withoutAccount.count + accountId.utf8.count + 16)
        out.raw("{\"AccountId\":")
        out.string(accountId)
        if withoutAccount.count > 2 {
            out.raw(",")
            withoutAccount[1...].withUnsafeBytes { out.raw($0) }
        } else {
            out.raw("}")
        }
        return out.bytes
    }
}
