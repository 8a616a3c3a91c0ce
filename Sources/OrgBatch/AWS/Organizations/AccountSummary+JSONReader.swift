/// An account of a `ListAccounts` page read with `JSONReader`: its id and state, the rest
/// skipped. Member names are matched as AWS writes them (PascalCase), as botocore does.
extension AccountSummary: JSONReader.Readable {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        var id: String?
        var status: String?
        var state: String?
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            if key == "Id" {
                id = try reader.readString()
            } else if key == "State" {
                state = try reader.readOptionalString()
            } else if key == "Status" {
                status = try reader.readOptionalString()
            } else {
                try reader.skipValue()
            }
        }
        guard let id else { throw reader.failure("an account without its Id") }
        self.init(id: id, status: status, state: state)
    }
}
