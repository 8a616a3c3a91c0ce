import Foundation

/// Resolves a profile into credentials, region and endpoints, as the aws CLI (v2) does.
///
/// - Profile: the one named (by `--profile` or a job file), else `AWS_PROFILE`, else
///   `AWS_DEFAULT_PROFILE`, else `default`.
/// - Credentials, first that applies (botocore's chain):
///   1. environment keys (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`),
///      unless a profile was named explicitly;
///   2. the profile's `role_arn` with `source_profile` (chains of any length) or
///      `credential_source` (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`), with an
///      MFA prompt when it sets `mfa_serial`;
///   3. web identity (`AWS_WEB_IDENTITY_TOKEN_FILE`, or the profile's `web_identity_token_file`);
///   4. IAM Identity Center (`sso_session` or legacy `sso_start_url`, `sso_account_id`,
///      `sso_role_name`);
///   5. keys in the credentials file, `credential_process`, keys in the config file;
///   6. the container credentials endpoint (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `_FULL_URI`);
///   7. the EC2 instance metadata service, unless `AWS_EC2_METADATA_DISABLED=true`.
/// - Region: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the profile's `region`.
///
/// Profiles resolved twice give the same provider, so organizations that share a profile
/// share its credentials. The environment is a plain dictionary passed in, so tests never
/// touch the real one.
public struct ProfileResolver: Sendable {
    public var environment: [String: String]
    public var config: SharedConfig
    public var transportFactory: any TransportFactory
    public var clock: any WallClock
    public var retryPolicy: any RetryPolicy
    public var endpoints: EndpointResolver
    /// Time limits for the STS calls of assumed roles.
    public var timeouts: HTTPTimeouts
    /// Runs `credential_process` commands.
    public var processRunner: any ProcessRunner = SystemProcessRunner()
    /// Asks for the codes of `mfa_serial` profiles.
    public var mfaPrompter: any MFAPrompter = TerminalMFAPrompter()
    /// Where `aws sso login` caches its tokens.
    public var ssoCacheDirectory: String
    /// Providers already made, by profile.
    let memo = ProviderMemo()

    public init(
        environment: [String: String], config: SharedConfig, transportFactory: any TransportFactory,
        clock: any WallClock = SystemClock(), retryPolicy: any RetryPolicy = StandardRetryPolicy(),
        explicitEndpoint: String? = nil, timeouts: HTTPTimeouts = HTTPTimeouts()
    ) {
        self.timeouts = timeouts
        self.environment = environment
        self.config = config
        self.transportFactory = transportFactory
        self.clock = clock
        self.retryPolicy = retryPolicy
        ssoCacheDirectory = SharedConfig.path(nil, default: "~/.aws/sso/cache", environment)
        endpoints = EndpointResolver(environment: environment, config: config, explicitEndpoint: explicitEndpoint)
    }

    /// - Parameter explicitProfile: a profile the user named; environment keys are then ignored
    ///   (as with `aws --profile`), except through `credential_source = Environment`.
    public func resolve(profile explicitProfile: String?) throws(ConfigError) -> ResolvedProfile {
        try memo.value("profile:" + (explicitProfile.map { "named:" + $0 } ?? "default")) { () throws(ConfigError) in
            try resolveAfresh(profile: explicitProfile)
        }
    }

    private func resolveAfresh(profile explicitProfile: String?) throws(ConfigError) -> ResolvedProfile {
        let chosen = explicitProfile ?? nonEmpty("AWS_PROFILE") ?? nonEmpty("AWS_DEFAULT_PROFILE")
        let name = chosen ?? "default"
        let settings = config.profiles[name]
        if settings == nil, chosen != nil {
            throw profileNotFound(name)
        }

        // One region and one set of endpoints serve the credentials (STS) and the clients.
        let region = settings.map(self.region) ?? nonEmpty("AWS_REGION") ?? nonEmpty("AWS_DEFAULT_REGION")
        var resolvedEndpoints: [AWSService: ServiceEndpoint] = [:]
        for service in AWSService.clientServices {
            resolvedEndpoints[service] = try endpoints.endpoint(
                for: service, profile: settings.map { (name, $0) }, region: region)
        }
        let sts = resolvedEndpoints[.sts]!

        let credentials: any CredentialProvider
        if explicitProfile == nil, let fromEnvironment = try environmentCredentials(profile: name) {
            credentials = fromEnvironment
        } else if settings == nil, let webIdentity = try webIdentity(profile: nil, settings: [:], endpoint: sts) {
            credentials = webIdentity  // a pod or CI job with no config file at all
        } else if settings != nil, let fromProfile = try profileCredentials(name, visited: [name], stsEndpoint: sts) {
            credentials = fromProfile
        } else if let fromHost = try hostCredentials(profile: settings) {
            credentials = fromHost  // an ECS task or an EC2 instance
        } else {
            throw ConfigError(
                .noCredentials,
                (settings == nil
                    ? "no credentials: AWS_ACCESS_KEY_ID is not set and there is no [default] profile"
                    : "profile '\(name)' has no credentials: set aws_access_key_id and aws_secret_access_key, "
                        + "credential_process, role_arn with source_profile, or sso_account_id and sso_role_name with sso_session")
                    + "; no container credentials are set, and the EC2 instance metadata service is off "
                    + "(AWS_EC2_METADATA_DISABLED)",
                profile: settings == nil ? nil : name, files: config.filesRead)
        }

        var maxAttempts: Int?
        if let text = settings?["max_attempts"]?.value {
            guard let value = Int(text), value >= 1 else {
                throw ConfigError(
                    .invalidSetting, "profile '\(name)' has max_attempts = \(text); it must be a whole number from 1",
                    profile: name, files: config.filesRead)
            }
            maxAttempts = value
        }
        return ResolvedProfile(
            name: settings == nil ? nil : name, region: region, credentials: credentials, endpoints: resolvedEndpoints,
            maxAttempts: maxAttempts)
    }

    /// `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`.
    func region(_ settings: SharedConfig.Settings) -> String? {
        nonEmpty("AWS_REGION") ?? nonEmpty("AWS_DEFAULT_REGION") ?? settings["region"]?.value
    }

    // MARK: Credential sources

    private func environmentCredentials(profile: String) throws(ConfigError) -> (any CredentialProvider)? {
        guard let keyID = nonEmpty("AWS_ACCESS_KEY_ID") else { return nil }
        guard let secret = nonEmpty("AWS_SECRET_ACCESS_KEY") else {
            throw ConfigError(
                .incompleteKeys, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not", profile: profile)
        }
        let token = nonEmpty("AWS_SESSION_TOKEN") ?? nonEmpty("AWS_SECURITY_TOKEN")
        return StaticCredentialProvider(
            AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token),
            source: "environment variables")
    }

    /// The credentials of profile `name`, following `source_profile` links; nil when the
    /// profile sets none (then the container or instance metadata may supply them).
    /// - Parameter visited: the profiles already on the chain, for cycle detection.
    private func profileCredentials(
        _ name: String, visited: [String], stsEndpoint: ServiceEndpoint
    ) throws(ConfigError) -> (any CredentialProvider)? {
        guard let settings = config.profiles[name] else { throw profileNotFound(name) }

        // role_arn with a source profile or credential source is an assumed role; with a web
        // identity token (the profile's, or AWS_WEB_IDENTITY_TOKEN_FILE) it is web identity.
        let hasSource = settings["source_profile"] != nil || settings["credential_source"] != nil
        if let roleARN = settings["role_arn"]?.value, settings["web_identity_token_file"] == nil,
            hasSource || nonEmpty("AWS_WEB_IDENTITY_TOKEN_FILE") == nil
        {
            let source = try roleSource(name, settings, visited: visited, stsEndpoint: stsEndpoint)
            return AssumeRoleCredentialProvider(
                role: try role(name, arn: roleARN, settings),
                source: source, stsEndpoint: stsEndpoint, transportFactory: transportFactory,
                clock: clock, retryPolicy: retryPolicy, timeouts: timeouts, mfaPrompter: mfaPrompter)
        }
        // botocore's order: web identity, IAM Identity Center, keys in the credentials file,
        // credential_process, keys in the config file.
        if let provider = try webIdentity(profile: name, settings: settings, endpoint: stsEndpoint) {
            return provider
        }
        if let provider = try ssoCredentials(name, settings) {
            return provider
        }
        let keys = try staticCredentials(name, settings)
        if let keys, settings["aws_access_key_id"]?.file != config.configPath { return keys }
        if let command = settings["credential_process"]?.value {
            return ProcessCredentialProvider(
                commandLine: command, profile: name, runner: processRunner, environment: environment, clock: clock)
        }
        return keys
    }

    /// Where an assume-role profile gets the credentials that call STS.
    private func roleSource(
        _ name: String, _ settings: SharedConfig.Settings, visited: [String], stsEndpoint: ServiceEndpoint
    ) throws(ConfigError) -> any CredentialProvider {
        let sourceProfile = settings["source_profile"]?.value
        let credentialSource = settings["credential_source"]?.value
        switch (sourceProfile, credentialSource) {
        case (.some, .some):
            throw ConfigError(
                .conflictingSettings, "profile '\(name)' sets both source_profile and credential_source; keep one",
                profile: name, files: config.filesRead)
        case (nil, nil):
            throw ConfigError(
                .incompleteKeys, "profile '\(name)' sets role_arn but neither source_profile nor credential_source",
                profile: name, files: config.filesRead)
        case (nil, .some(let source)):
            // The source's provider, and why there is none when there is not.
            let provider: (any CredentialProvider)?
            let missing: String
            switch source {
            case "Environment":
                provider = try environmentCredentials(profile: name)
                missing = "AWS_ACCESS_KEY_ID is not set"
            case "Ec2InstanceMetadata":
                provider = try instanceMetadata(profile: settings)
                missing = "AWS_EC2_METADATA_DISABLED is true"
            case "EcsContainer":
                provider = try containerCredentials()
                missing = "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set"
            default:
                throw ConfigError(
                    .invalidSetting,
                    "profile '\(name)' has credential_source = \(source); allowed: Environment, Ec2InstanceMetadata, EcsContainer",
                    profile: name, files: config.filesRead)
            }
            guard let provider else {
                throw ConfigError(
                    .noCredentials, "profile '\(name)' has credential_source = \(source), but \(missing)", profile: name)
            }
            return provider
        case (.some(let source), nil):
            guard let sourceSettings = config.profiles[source] else {
                throw ConfigError(
                    .profileNotFound, "profile '\(name)' names source_profile '\(source)', which does not exist",
                    profile: name, files: config.filesRead)
            }
            let hasStaticKeys = sourceSettings["aws_access_key_id"] != nil || sourceSettings["aws_secret_access_key"] != nil
            if visited.contains(source) {
                // A profile may be its own source only when it holds static keys (botocore's rule).
                guard source == name, hasStaticKeys else {
                    throw ConfigError(
                        .sourceProfileCycle,
                        "source_profile loop: " + (visited + [source]).joined(separator: " -> "),
                        profile: name, files: config.filesRead)
                }
            }
            // Static keys in the source win over its own role_arn (botocore's rule).
            if hasStaticKeys, let provider = try staticCredentials(source, sourceSettings) { return provider }
            guard let provider = try profileCredentials(source, visited: visited + [source], stsEndpoint: stsEndpoint)
            else {
                throw ConfigError(
                    .noCredentials, "profile '\(name)' names source_profile '\(source)', which has no credentials",
                    profile: source, files: config.filesRead)
            }
            return provider
        }
    }

    /// Web identity: the token file and role from `AWS_WEB_IDENTITY_TOKEN_FILE` and
    /// `AWS_ROLE_ARN` (and `AWS_ROLE_SESSION_NAME`), else the profile's
    /// `web_identity_token_file` and `role_arn` (and `role_session_name`).
    private func webIdentity(
        profile name: String?, settings: SharedConfig.Settings, endpoint sts: ServiceEndpoint
    ) throws(ConfigError) -> (any CredentialProvider)? {
        let fromEnvironment = nonEmpty("AWS_WEB_IDENTITY_TOKEN_FILE") != nil
        guard let tokenFile = nonEmpty("AWS_WEB_IDENTITY_TOKEN_FILE") ?? settings["web_identity_token_file"]?.value else {
            return nil
        }
        guard let roleARN = (fromEnvironment ? nonEmpty("AWS_ROLE_ARN") : nil) ?? settings["role_arn"]?.value else {
            throw ConfigError(
                .incompleteKeys,
                "a web identity token file is set (\(tokenFile)) but no role: set AWS_ROLE_ARN or the profile's role_arn",
                profile: name, files: config.filesRead)
        }
        let sessionName = (fromEnvironment ? nonEmpty("AWS_ROLE_SESSION_NAME") : nil) ?? settings["role_session_name"]?.value
            ?? "orgbatch-\(Int(clock.now().timeIntervalSince1970))"
        return WebIdentityCredentialProvider(
            roleARN: roleARN, tokenFile: SharedConfig.path(tokenFile, default: tokenFile, environment),
            sessionName: sessionName, origin: fromEnvironment ? "environment" : "profile '\(name ?? "")'",
            stsEndpoint: sts, transportFactory: transportFactory, clock: clock, retryPolicy: retryPolicy, timeouts: timeouts)
    }

    private func role(_ name: String, arn: String, _ settings: SharedConfig.Settings) throws(ConfigError)
        -> AssumeRoleCredentialProvider.Role
    {
        var duration: Int?
        if let text = settings["duration_seconds"]?.value {
            guard let value = Int(text), (900...43200).contains(value) else {
                throw ConfigError(
                    .invalidSetting, "profile '\(name)' has duration_seconds = \(text); allowed: 900 to 43200",
                    profile: name, files: config.filesRead)
            }
            duration = value
        }
        let sessionName = settings["role_session_name"]?.value
            ?? "orgbatch-\(Int(clock.now().timeIntervalSince1970))"
        return .init(
            arn: arn, sessionName: sessionName, externalID: settings["external_id"]?.value,
            durationSeconds: duration, profile: name, mfaSerial: settings["mfa_serial"]?.value)
    }

    /// The profile's own `aws_access_key_id` / `aws_secret_access_key` (+ session token).
    private func staticCredentials(_ name: String, _ settings: SharedConfig.Settings) throws(ConfigError)
        -> (any CredentialProvider)?
    {
        let keyID = settings["aws_access_key_id"]
        let secret = settings["aws_secret_access_key"]
        switch (keyID, secret) {
        case (nil, nil):
            return nil
        case (let keyID?, let secret?):
            let token = settings["aws_session_token"]?.value ?? settings["aws_security_token"]?.value
            return StaticCredentialProvider(
                AWSCredentials(accessKeyID: keyID.value, secretAccessKey: secret.value, sessionToken: token),
                source: "profile '\(name)' in \(keyID.file)")
        case (let present?, nil), (nil, let present?):
            let missing = keyID == nil ? "aws_access_key_id" : "aws_secret_access_key"
            throw ConfigError(
                .incompleteKeys,
                "profile '\(name)' has half a key pair: \(missing) is missing (\(present.file):\(present.line) sets the other)",
                profile: name, files: config.filesRead)
        }
    }

    func profileNotFound(_ name: String) -> ConfigError {
        let known = config.profileNames
        return ConfigError(
            .profileNotFound,
            "profile '\(name)' not found; profiles defined: " + (known.isEmpty ? "none" : known.joined(separator: ", ")),
            profile: name, files: config.filesRead)
    }

    func nonEmpty(_ variable: String) -> String? {
        guard let value = environment[variable], !value.isEmpty else { return nil }
        return value
    }
}
