/// Why an organization could not be prepared: its tasks fail with this, before any write.
public struct PreflightFailure: Error, Sendable {
    public var error: ReportedError
    /// Known when the organization was reached before the check failed.
    public var organizationID: String?

    public init(_ error: ReportedError, organizationID: String? = nil) {
        self.error = error
        self.organizationID = organizationID
    }

    static func check(_ code: String, _ message: String, organizationID: String?) -> PreflightFailure {
        PreflightFailure(ReportedError(code: "preflight.\(code)", message: message), organizationID: organizationID)
    }
}
