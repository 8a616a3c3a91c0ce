/// Sorts AWS error codes into throttle, transient, no-op and terminal.
///
/// The throttling and transient lists are those of the AWS SDKs' standard retry mode
/// (botocore `retries/standard.py`), plus Organizations' `ConcurrentModificationException`,
/// which is worth retrying with backoff although the SDKs do not.
public enum AWSErrorClassifier {
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException",
        "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
        "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    ]

    public static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "ServiceException", "InternalServerException",
        "InternalFailure", "InternalError", "ServiceUnavailable", "ServiceUnavailableException",
        "ConcurrentModificationException",
    ]

    public static let transientStatuses: Set<Int> = [500, 502, 503, 504]

    /// `(operation, code)` pairs meaning "already in the desired state".
    public static let noOpCodes: [String: Set<String>] = [
        "RegisterDelegatedAdministrator": ["AccountAlreadyRegisteredException"],
        "DeregisterDelegatedAdministrator": ["AccountNotRegisteredException"],
        "DeleteAlternateContact": ["ResourceNotFoundException"],
    ]

    public static func classify(code: String, httpStatus: Int, operation: String) -> AWSError.Classification {
        if noOpCodes[operation]?.contains(code) == true { return .noOp }
        if throttlingCodes.contains(code) || httpStatus == 429 { return .throttle }
        if transientCodes.contains(code) || transientStatuses.contains(httpStatus) { return .transient }
        return .terminal
    }
}
