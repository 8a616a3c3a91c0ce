import Synchronization

/// The credential providers one resolver has made, by profile (and SSO tokens by login), so
/// organizations that share a profile share its cache: one AssumeRole, one MFA prompt, one
/// metadata fetch per run, not one per organization.
final class ProviderMemo: Sendable {
    private let made = Mutex<[String: any Sendable]>([:])

    /// The value made earlier under `key`, or `make()`'s, kept for next time.
    ///
    /// `make` runs outside the lock (it may ask the memo for other values); making a provider
    /// does no I/O, so when two threads race the first one stored wins and the other is dropped.
    func value<Value: Sendable>(_ key: String, make: () throws(ConfigError) -> Value) throws(ConfigError) -> Value {
        // (A stored nil is a value too: `Value` may be an optional.)
        if let earlier: Value = made.withLock({ made in made[key].flatMap { $0 as? Value } }) { return earlier }
        let value = try make()
        return made.withLock { made in
            if let stored = made[key], let earlier = stored as? Value { return earlier }
            made[key] = value
            return value
        }
    }
}
