/// A contact step as every one of an organization's tasks sends and reports it, made once when
/// the organization's context is: the request body (all but the account's id) and the report's
/// `after`. (Built per task, they were a fifth of orgbatch's own work per request.)
struct PreparedContact: Sendable {
    let type: AlternateContactType
    let values: ContactValues
    let body: AlternateContactBody
    let json: JSONValue

    init(type: AlternateContactType, values: ContactValues) {
        self.type = type
        self.values = values
        body = AlternateContactBody(values.alternateContact(type: type))
        json = ActionRunner.contactJSON(values)
    }
}
