import Foundation

/// When cached temporary credentials must be fetched again (botocore's windows): with less
/// than `advisorySeconds` left a refresh is tried and a failure keeps the old credentials;
/// with less than `mandatorySeconds` left the refresh must succeed.
enum RefreshWindow {
    static let advisorySeconds: Double = 15 * 60
    static let mandatorySeconds: Double = 10 * 60

    enum Decision: Equatable {
        /// Good as they are.
        case use
        /// Try to refresh; keep these if it fails.
        case refreshKeepingOnFailure
        /// Fetch (none cached, or about to expire).
        case refresh
    }

    static func decide(_ cached: AWSCredentials?, now: Date) -> Decision {
        guard let cached else { return .refresh }
        guard let expiration = cached.expiration else { return .use }
        let remaining = expiration.timeIntervalSince(now)
        if remaining > advisorySeconds { return .use }
        if remaining > mandatorySeconds { return .refreshKeepingOnFailure }
        return .refresh
    }
}
