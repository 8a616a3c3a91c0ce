import Foundation

/// One line of the JSON-lines report: one task and how it ended.
///
/// Schema `orgbatch.report/1` (README: "The report"). Keys always appear, in this order,
/// with `null` where a value does not apply, so `jq` filters never trip on a missing key.
public struct ReportLine: Sendable {
    public static let schema = "orgbatch.report/1"

    public var runID: String
    public var time: Date
    public var org: String
    public var orgID: String?
    public var profile: String
    public var account: String?
    public var action: String
    /// The action's 1-based position in the job file.
    public var step: Int
    /// The action's non-secret parameters (contact type, service principal).
    public var params: [(String, String)]
    public var status: TaskStatus
    /// Why a task was skipped, failed before sending, or is uncertain.
    public var reason: String?
    public var before: JSONValue
    public var after: JSONValue
    public var attempts: Int
    public var throttled: Int
    public var durationMs: Int
    public var requestID: String?
    public var error: ReportedError?
    /// The step's shared fields, encoded (see `ReportLineTemplate`): nil to encode them here.
    var template: ReportLineTemplate?

    public init(
        runID: String, time: Date, org: String, orgID: String?, profile: String, account: String?, action: String,
        step: Int, params: [(String, String)], status: TaskStatus, reason: String? = nil, before: JSONValue = .null,
        after: JSONValue = .null, attempts: Int = 0, throttled: Int = 0, durationMs: Int = 0, requestID: String? = nil,
        error: ReportedError? = nil
    ) {
        self.runID = runID
        self.time = time
        self.org = org
        self.orgID = orgID
        self.profile = profile
        self.account = account
        self.action = action
        self.step = step
        self.params = params
        self.status = status
        self.reason = reason
        self.before = before
        self.after = after
        self.attempts = attempts
        self.throttled = throttled
        self.durationMs = durationMs
        self.requestID = requestID
        self.error = error
    }

    /// A line of the step `template` was made for: its shared fields are the template's.
    /// (Field by field, not through the initializer above: delegating to it cost 1.3 k
    /// instructions a line in callgrind, copies of the template's strings.)
    init(template: ReportLineTemplate, time: Date, account: String?, status: TaskStatus, reason: String?) {
        runID = template.runID
        self.time = time
        org = template.org
        orgID = template.orgID
        profile = template.profile
        self.account = account
        action = template.action
        step = template.step
        params = template.params
        self.status = status
        self.reason = reason
        before = .null
        after = .null
        attempts = 0
        throttled = 0
        durationMs = 0
        self.template = template
    }

    /// The line's JSON text, written directly (the same text as `json.text`, without building
    /// the tree first: this runs once per task).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The line's JSON text as UTF-8 bytes: what the report writer hands to its sink.
    var bytes: [UInt8] {
        var out = JSONWriter(capacity: 640)
        write(to: &out)
        return out.bytes
    }

    func write(to out: inout JSONWriter) {
        // The step's template, unless a shared field was changed after it was attached.
        let template = template.flatMap { $0.matches(self) ? $0 : nil }
        if let template { out.raw(template.head) } else { Self.writeHead(runID: runID, to: &out) }
        SigV4Time.writeISOMilliseconds(time, to: &out)
        if let template { out.raw(template.middle) } else { Self.writeMiddle(org: org, orgID: orgID, profile: profile, to: &out) }
        out.optionalString(account)
        if let template { out.raw(template.tail) } else { Self.writeTail(action: action, step: step, params: params, to: &out) }
        out.string(status.rawValue)
        out.raw(",\"reason\":")
        out.optionalString(reason)
        out.raw(",\"before\":")
        before.write(to: &out)
        out.raw(",\"after\":")
        if let template, let shared = template.after, shared.isIdentical(to: after) {
            out.raw(template.afterText)
        } else {
            after.write(to: &out)
        }
        out.raw(",\"attempts\":")
        out.int(attempts)
        out.raw(",\"throttled\":")
        out.int(throttled)
        out.raw(",\"durationMs\":")
        out.int(durationMs)
        out.raw(",\"requestId\":")
        out.optionalString(requestID)
        out.raw(",\"error\":")
        if let error { error.json.write(to: &out) } else { out.null() }
        out.raw("}")
    }

    // The line's text up to the time, between the time and the account, and between the
    // account and the status: written field by field here, or once per step by a template.

    /// `{"schema":…,"runId":…,"time":"`
    static func writeHead(runID: String, to out: inout JSONWriter) {
        out.raw("{\"schema\":")
        out.string(Self.schema)
        out.raw(",\"runId\":")
        out.string(runID)
        out.raw(",\"time\":\"")
    }

    /// `","org":…,"orgId":…,"profile":…,"account":`
    static func writeMiddle(org: String, orgID: String?, profile: String, to out: inout JSONWriter) {
        out.raw("\",\"org\":")
        out.string(org)
        out.raw(",\"orgId\":")
        out.optionalString(orgID)
        out.raw(",\"profile\":")
        out.string(profile)
        out.raw(",\"account\":")
    }

    /// `,"action":…,"step":…,"params":{…},"status":`
    static func writeTail(action: String, step: Int, params: [(String, String)], to out: inout JSONWriter) {
        out.raw(",\"action\":")
        out.string(action)
        out.raw(",\"step\":")
        out.int(step)
        out.raw(",\"params\":")
        out.stringObject(params)
        out.raw(",\"status\":")
    }

    public var json: JSONValue {
        .object([
            ("schema", .string(Self.schema)),
            ("runId", .string(runID)),
            ("time", .string(Self.timestamp(time))),
            ("org", .string(org)),
            ("orgId", .optional(orgID)),
            ("profile", .string(profile)),
            ("account", .optional(account)),
            ("action", .string(action)),
            ("step", .int(step)),
            ("params", .object(params.map { ($0.0, .string($0.1)) })),
            ("status", .string(status.rawValue)),
            ("reason", .optional(reason)),
            ("before", before),
            ("after", after),
            ("attempts", .int(attempts)),
            ("throttled", .int(throttled)),
            ("durationMs", .int(durationMs)),
            ("requestId", .optional(requestID)),
            ("error", error?.json ?? .null),
        ])
    }

    /// `2026-11-24T21:00:00.123Z`
    static func timestamp(_ date: Date) -> String {
        SigV4Time.isoMilliseconds(date)
}
}
