/// The fields a task's report line shares with every line of its organization's step (run id,
/// organization, profile, action, step, parameters), encoded once for the step instead of for
/// every line.
///
/// A line written with a template holds the same text as without: the fields are encoded by
/// the same code, and a line uses its template only while its own fields still match the ones
/// the template was made from (a line whose fields were changed afterwards is written field by
/// field).
final class ReportLineTemplate: Sendable {
    let runID: String
    let org: String
    let orgID: String?
    let profile: String
    let action: String
    let step: Int
    let params: [(String, String)]

    /// `{"schema":…,"runId":…,"time":"`
    let head: [UInt8]
    /// `","org":…,"orgId":…,"profile":…,"account":`
    let middle: [UInt8]
    /// `,"action":…,"step":…,"params":{…},"status":`
    let tail: [UInt8]
    /// The `after` most of the step's lines report (a contact step's desired values), and its
    /// text: used for a line whose `after` is this very value (see `JSONValue.isIdentical`).
    let after: JSONValue?
    let afterText: [UInt8]

    init(
        runID: String, org: String, orgID: String?, profile: String, action: String, step: Int, params: [(String, String)],
        after: JSONValue? = nil
    ) {
        self.runID = runID
        self.org = org
        self.orgID = orgID
        self.profile = profile
        self.action = action
        self.step = step
        self.params = params
        self.after = after
        func encoded(_ write: (inout JSONWriter) -> Void) -> [UInt8] {
            var out = JSONWriter(capacity: 128)
            write(&out)
            return out.bytes
        }
        head = encoded { ReportLine.writeHead(runID: runID, to: &$0) }
        middle = encoded { ReportLine.writeMiddle(org: org, orgID: orgID, profile: profile, to: &$0) }
        tail = encoded { ReportLine.writeTail(action: action, step: step, params: params, to: &$0) }
        afterText = encoded { out in after?.write(to: &out) }
    }

    /// The template made for `line`'s fields.
    convenience init(for line: ReportLine) {
        self.init(
            runID: line.runID, org: line.org, orgID: line.orgID, profile: line.profile, action: line.action,
            step: line.step, params: line.params)
    }

    /// Whether `line`'s shared fields are still the ones encoded here. Cheap for the lines the
    /// template was made for: their strings share storage with the template's, and equal
    /// storage compares equal at once.
    func matches(_ line: ReportLine) -> Bool {
        guard line.step == step, line.runID == runID, line.org == org, line.orgID == orgID, line.profile == profile,
            line.action == action, line.params.count == params.count
        else { return false }
        for index in params.indices where line.params[index] != params[index] { return false }
        return true
    }
}
