/// A page of `ListAccounts` (or `ListAccountsForParent`) read with `JSONReader`: the preflight
/// reads every account of every organization, and keeps only ids and states.
extension ListAccountSummariesResponse: JSONReader.Readable {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        var accounts: [AccountSummary]?
        var nextToken: String?
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            if key == "Accounts" {
                if reader.readNull() { return }
                var page: [AccountSummary] = []
                try reader.readArray { reader throws(JSONReader.Failure) in
                    page.append(try AccountSummary(reading: &reader))
                }
                accounts = page
            } else if key == "NextToken" {
                nextToken = try reader.readOptionalString()
            } else {
                try reader.skipValue()
            }
        }
        self.init(accounts: accounts, nextToken: nextToken)
    }
}
