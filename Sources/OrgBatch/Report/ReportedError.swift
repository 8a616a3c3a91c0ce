/// The `error` object of a report line: what failed, in terms a script can match on.
public struct ReportedError: Sendable, Equatable {
    /// The AWS error code (`AccessDeniedException`) or a stable orgbatch code
    /// (`transport.timeout`, `profile.not-found`, `preflight.not-all-features`).
    public var code: String
    public var message: String
    public var httpStatus: Int?
    /// `throttle`, `transient`, `terminal` (or `no-op`).
    public var classification: String
    public var service: String?
    public var operation: String?
    public var requestID: String?

    public init(
        code: String, message: String, httpStatus: Int? = nil, classification: String = "terminal",
        service: String? = nil, operation: String? = nil, requestID: String? = nil
    ) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.classification = classification
        self.service = service
        self.operation = operation
        self.requestID = requestID
    }

    public init(_ error: AWSError) {
        self.init(
            code: error.code, message: error.message, httpStatus: error.httpStatus,
            classification: error.classification.rawValue, service: error.service.rawValue, operation: error.operation,
            requestID: error.requestID)
    }

    public init(_ error: ConfigError) {
        self.init(code: error.code.rawValue, message: error.description)
    }

    var json: JSONValue {
        .object([
            ("code", .string(code)),
            ("message", .string(message)),
            ("httpStatus", httpStatus.map { .int($0) } ?? .null),
            ("classification", .string(classification)),
            ("service", .optional(service)),
            ("operation", .optional(operation)),
            ("requestId", .optional(requestID)),
        ])
    }
}
