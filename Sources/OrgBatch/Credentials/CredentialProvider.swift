/// Hands out credentials, refreshing them when they are about to expire.
///
/// Shared by every worker of a run, hence `Sendable`; a provider that refreshes does so once
/// however many workers ask at the same time.
public protocol CredentialProvider: Sendable, CustomStringConvertible {
    /// Credentials valid for at least the next few minutes.
    /// - Throws: `AWSError` with origin `.credentials` or, when a call to STS failed, the
    ///   service's own error (for example `InvalidClientTokenId`).
    func credentials() throws(AWSError) -> AWSCredentials

    /// Forgets cached credentials after the service said they expired, so the next call
    /// fetches new ones; `accessKeyID` names the credentials that expired (nil: whatever is
    /// cached), so credentials another worker has already refreshed are kept.
    func invalidate(ifAccessKeyID accessKeyID: String?)
}

extension CredentialProvider {
    public func invalidate(ifAccessKeyID accessKeyID: String?) {}
}

/// Long-term (or already temporary) keys that never change during the run.
///
/// A class: every task's requester keeps the provider, and a struct of five strings does not
/// fit an existential's inline buffer, so each copy was a boxed allocation of its own.
public final class StaticCredentialProvider: CredentialProvider {
    let value: AWSCredentials
    /// Where the keys came from, for messages: `profile base in ~/.aws/credentials`.
    let source: String

    public init(_ credentials: AWSCredentials, source: String) {
        value = credentials
        self.source = source
    }

    public func credentials() throws(AWSError) -> AWSCredentials { value }

    public var description: String { "static keys (\(source))" }
}
