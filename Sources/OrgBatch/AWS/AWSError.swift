/// Why an AWS call failed, with everything a report or a person needs to act on it.
///
/// One type for every failure of a call, whatever its origin: the service answered with an
/// error, no complete answer arrived (transport), or no credentials could be had. `code` is
/// the AWS error code (`AccessDeniedException`) for service errors and a stable orgbatch code
/// (`transport.timeout`, `credentials.…`) otherwise. No secret ever goes into a field.
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Origin: String, Sendable {
        case service, transport, credentials
    }

    /// What a caller should do about it.
    public enum Classification: String, Sendable {
        /// Slow down and try again.
        case throttle
        /// A passing fault; try again.
        case transient
        /// The desired state already holds (registering an account already registered,
        /// deleting what is absent): not a failure.
        case noOp = "no-op"
        /// Trying again will not help.
        case terminal
    }

    /// One entry of a `ValidationException`'s `fieldList`.
    public struct ValidationField: Sendable, Equatable {
        public var name: String
        public var message: String
    }

    public var origin: Origin
    public var service: AWSService
    public var operation: String
    public var httpStatus: Int?
    public var code: String
    public var message: String
    public var requestID: String?
    /// `Reason` of Organizations' ConstraintViolation and InvalidInput, `reason` of Account's
    /// ValidationException.
    public var reason: String?
    public var fieldList: [ValidationField]
    public var classification: Classification
    /// Attempts made before giving up (1 when there was no retry).
    public var attempts: Int
    /// How long the service asked to wait (`x-amz-retry-after` or `Retry-After`), if it did.
    public var retryAfterSeconds: Double?

    public init(
        origin: Origin, service: AWSService, operation: String, httpStatus: Int? = nil, code: String,
        message: String, requestID: String? = nil, reason: String? = nil, fieldList: [ValidationField] = [],
        classification: Classification, attempts: Int = 1
    ) {
        self.origin = origin
        self.service = service
        self.operation = operation
        self.httpStatus = httpStatus
        self.code = code
        self.message = message
        self.requestID = requestID
        self.reason = reason
        self.fieldList = fieldList
        self.classification = classification
        self.attempts = attempts
    }

    /// `sts:AssumeRole: AccessDenied (HTTP 403): message [request id …]`
    public var description: String {
        var text = "\(service.signingName):\(operation): \(code)"
        if let httpStatus { text += " (HTTP \(httpStatus))" }
        if !message.isEmpty { text += ": \(message)" }
        if let reason { text += " [reason \(reason)]" }
        if !fieldList.isEmpty {
            text += " [fields: " + fieldList.map { "\($0.name): \($0.message)" }.joined(separator: "; ") + "]"
        }
        if let requestID { text += " [request id \(requestID)]" }
        if attempts > 1 { text += " after \(attempts) attempts" }
        return text
    }

    /// A success status whose body lacks what the operation must answer.
    static func malformedResponse(
        _ response: AWSResponse, service: AWSService, operation: String, _ message: String
    ) -> AWSError {
        AWSError(
            origin: .service, service: service, operation: operation, httpStatus: response.http.status,
            code: "orgbatch.malformed-response", message: message, requestID: response.requestID,
            classification: .terminal, attempts: response.attempts)
    }

    public var isRetryable: Bool { classification == .throttle || classification == .transient }

    /// A transport failure of `operation`, wrapped with its context.
    public static func transport(
        _ error: TransportError, service: AWSService, operation: String, attempts: Int = 1
    ) -> AWSError {
        AWSError(
            origin: .transport, service: service, operation: operation, code: error.code,
            message: error.detail, classification: error.isRetryable ? .transient : .terminal, attempts: attempts)
    }
}
