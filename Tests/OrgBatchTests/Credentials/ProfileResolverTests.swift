import Foundation
import Testing

@testable import OrgBatch

@Suite("Resolving profiles into credentials, region and endpoints")
struct ProfileResolverTests {
    static let config = """
        [default]
        region = eu-west-1

        [profile base]
        region = us-east-1

        [profile org-a]
        role_arn = arn:aws:iam::111111111111:role/OrganizationAccountAccessRole
        source_profile = base
        role_session_name = nightly
        external_id = ext-123
        duration_seconds = 1800

        [profile hop2]
        role_arn = arn:aws:iam::222222222222:role/Second
        source_profile = org-a

        [profile loop-a]
        role_arn = arn:aws:iam::111111111111:role/A
        source_profile = loop-b

        [profile loop-b]
        role_arn = arn:aws:iam::111111111111:role/B
        source_profile = loop-a

        [profile self-keys]
        role_arn = arn:aws:iam::111111111111:role/Self
        source_profile = self-keys
        aws_access_key_id = AKIASELF
        aws_secret_access_key = selfsecret

        [profile keys-and-role]
        role_arn = arn:aws:iam::111111111111:role/Ignored
        source_profile = base

        [profile via-keys-and-role]
        role_arn = arn:aws:iam::333333333333:role/Target
        source_profile = keys-and-role

        [profile from-env]
        role_arn = arn:aws:iam::111111111111:role/Env
        credential_source = Environment

        [profile both-sources]
        role_arn = arn:aws:iam::111111111111:role/X
        source_profile = base
        credential_source = Environment

        [profile no-source]
        role_arn = arn:aws:iam::111111111111:role/X

        [profile half]
        aws_access_key_id = AKIAHALF

        [profile bad-duration]
        role_arn = arn:aws:iam::111111111111:role/X
        source_profile = base
        duration_seconds = 60

        [profile imds]
        role_arn = arn:aws:iam::111111111111:role/X
        credential_source = Ec2InstanceMetadata

        [profile sso]
        sso_session = corp
        sso_account_id = 111111111111

        [profile empty]
        region = us-east-2

        [profile patient]
        aws_access_key_id = AKIAPATIENT
        aws_secret_access_key = patientsecret
        max_attempts = 12

        [profile impatient]
        aws_access_key_id = AKIAIMPATIENT
        aws_secret_access_key = impatientsecret
        max_attempts = lots
        """

    static let credentials = """
        [base]
        aws_access_key_id = AKIABASE
        aws_secret_access_key = basesecret

        [keys-and-role]
        aws_access_key_id = AKIAKR
        aws_secret_access_key = krsecret
        """

    let transport = ScriptedTransport()
    let clock = ManualClock()

    func resolver(environment: [String: String] = [:], explicitEndpoint: String? = nil) throws -> ProfileResolver {
        ProfileResolver(
            environment: environment,
            config: SharedConfig(
                config: try ConfigFile.parse(Self.config, path: "/cfg/config"),
                credentials: try ConfigFile.parse(Self.credentials, path: "/cfg/credentials"),
                filesRead: ["/cfg/config", "/cfg/credentials"]),
            transportFactory: ScriptedTransportFactory(transport: transport), clock: clock,
            retryPolicy: StandardRetryPolicy(random: FixedRandom(value: 0)), explicitEndpoint: explicitEndpoint)
    }

    func expectConfigError(
        _ code: ConfigError.Code, containing text: String, environment: [String: String] = [:], profile: String?,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let resolver = try resolver(environment: environment)
        #expect(sourceLocation: sourceLocation) {
            _ = try resolver.resolve(profile: profile)
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.code == code && error.description.contains(text)
        }
    }

    @Test func staticKeysFromTheCredentialsFile() throws {
        let profile = try resolver().resolve(profile: "base")
        #expect(try profile.credentials.credentials().accessKeyID == "AKIABASE")
        #expect(profile.region == "us-east-1")
        #expect(profile.endpoint(.organizations).url.host == "organizations.us-east-1.amazonaws.com")
        #expect(profile.endpoint(.sts).url.host == "sts.us-east-1.amazonaws.com")
        #expect("\(profile.credentials)".contains("profile 'base' in /cfg/credentials"))
    }

    @Test func environmentKeysWinUnlessAProfileIsNamed() throws {
        let environment = ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "envsecret", "AWS_PROFILE": "base"]
        let implicit = try resolver(environment: environment).resolve(profile: nil)
        #expect(try implicit.credentials.credentials().accessKeyID == "AKIAENV")
        #expect(implicit.region == "us-east-1")  // AWS_PROFILE still picks the profile's settings
        let explicit = try resolver(environment: environment).resolve(profile: "base")
        #expect(try explicit.credentials.credentials().accessKeyID == "AKIABASE")
    }

    @Test func profileSelectionOrder() throws {
        let both = try resolver(environment: ["AWS_PROFILE": "base", "AWS_DEFAULT_PROFILE": "empty"]).resolve(profile: nil)
        #expect(both.name == "base")
        let onlyDefault = try resolver(environment: ["AWS_DEFAULT_PROFILE": "base"]).resolve(profile: nil)
        #expect(onlyDefault.name == "base")
    }

    @Test func regionPrecedence() throws {
        #expect(try resolver().resolve(profile: "base").region == "us-east-1")
        #expect(try resolver(environment: ["AWS_DEFAULT_REGION": "eu-central-1"]).resolve(profile: "base").region == "eu-central-1")
        #expect(
            try resolver(environment: ["AWS_DEFAULT_REGION": "eu-central-1", "AWS_REGION": "ap-south-1"])
                .resolve(profile: "base").region == "ap-south-1")
    }

    @Test func assumeRoleWithSourceProfile() throws {
        transport.enqueue(STSResponses.assumeRole(keyID: "ASIAORGA", secret: "s1", token: "t1", expiration: "2026-11-20T12:00:00Z"))
        let profile = try resolver().resolve(profile: "org-a")
        let credentials = try profile.credentials.credentials()
        #expect(credentials.accessKeyID == "ASIAORGA")
        #expect(credentials.signing.sessionToken == "t1")

        let call = try #require(transport.sent.first)
        #expect(call.url == "https://sts.us-east-1.amazonaws.com/")
        #expect(STSResponses.signingKeyID(of: call) == "AKIABASE")
        let form = call.bodyText
        #expect(form.contains("Action=AssumeRole"))
        #expect(form.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2FOrganizationAccountAccessRole"))
        #expect(form.contains("RoleSessionName=nightly"))
        #expect(form.contains("ExternalId=ext-123"))
        #expect(form.contains("DurationSeconds=1800"))

        // Cached: a second call sends nothing.
        _ = try profile.credentials.credentials()
        #expect(transport.sent.count == 1)
    }

    @Test func roleChainsSignEachHopWithThePreviousHopsCredentials() throws {
        transport.enqueue(STSResponses.assumeRole(keyID: "ASIAHOP1", secret: "s1", token: "t1", expiration: "2026-11-20T12:00:00Z"))
        transport.enqueue(STSResponses.assumeRole(keyID: "ASIAHOP2", secret: "s2", token: "t2", expiration: "2026-11-20T12:00:00Z"))
        let profile = try resolver().resolve(profile: "hop2")
        #expect(try profile.credentials.credentials().accessKeyID == "ASIAHOP2")
        let sent = transport.sent
        #expect(sent.count == 2)
        #expect(STSResponses.signingKeyID(of: sent[0]) == "AKIABASE")
        #expect(sent[0].bodyText.contains("role%2FOrganizationAccountAccessRole"))
        #expect(STSResponses.signingKeyID(of: sent[1]) == "ASIAHOP1")
        #expect(sent[1].bodyText.contains("role%2FSecond"))
        #expect(sent[1].bodyText.contains("RoleSessionName=orgbatch-"))
        #expect(!sent[1].bodyText.contains("DurationSeconds"))
    }

    @Test func sourceProfileStaticKeysWinOverItsRoleARN() throws {
        transport.enqueue(STSResponses.assumeRole(keyID: "ASIATARGET", secret: "s", token: "t", expiration: "2026-11-20T12:00:00Z"))
        let profile = try resolver().resolve(profile: "via-keys-and-role")
        #expect(try profile.credentials.credentials().accessKeyID == "ASIATARGET")
        #expect(transport.sent.count == 1)
        #expect(STSResponses.signingKeyID(of: transport.sent[0]) == "AKIAKR")
    }

    @Test func aProfileMayBeItsOwnSourceWhenItHasKeys() throws {
        transport.enqueue(STSResponses.assumeRole(keyID: "ASIASELF", secret: "s", token: "t", expiration: "2026-11-20T12:00:00Z"))
        let profile = try resolver().resolve(profile: "self-keys")
        #expect(try profile.credentials.credentials().accessKeyID == "ASIASELF")
        #expect(STSResponses.signingKeyID(of: transport.sent[0]) == "AKIASELF")
    }

    @Test func credentialSourceEnvironment() throws {
        transport.enqueue(STSResponses.assumeRole(keyID: "ASIAFROMENV", secret: "s", token: "t", expiration: "2026-11-20T12:00:00Z"))
        let environment = ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "envsecret"]
        let profile = try resolver(environment: environment).resolve(profile: "from-env")
        #expect(try profile.credentials.credentials().accessKeyID == "ASIAFROMENV")
        #expect(STSResponses.signingKeyID(of: transport.sent[0]) == "AKIAENV")
    }

    @Test func stsFailureKeepsTheAWSCodeAndNamesTheProfile() throws {
        transport.enqueue(STSResponses.error(403, code: "AccessDenied", message: "not authorized to perform sts:AssumeRole"))
        let profile = try resolver().resolve(profile: "org-a")
        #expect {
            _ = try profile.credentials.credentials()
        } throws: { error in
            let error = error as! AWSError
            return error.code == "AccessDenied" && error.httpStatus == 403 && error.requestID == "rid-err"
                && error.message.contains("profile 'org-a'") && error.message.contains("not authorized")
                && error.classification == .terminal
        }
    }

    @Test func configurationErrors() throws {
        try expectConfigError(.profileNotFound, containing: "profile 'nope' not found; profiles defined: bad-duration, base, both-sources", profile: "nope")
        try expectConfigError(.profileNotFound, containing: "impatient, keys-and-role", profile: "nope")
        try expectConfigError(.profileNotFound, containing: "/cfg/config", profile: "nope")
        try expectConfigError(
            .profileNotFound, containing: "profile 'nope' not found", environment: ["AWS_PROFILE": "nope"], profile: nil)
        try expectConfigError(.sourceProfileCycle, containing: "loop-a -> loop-b -> loop-a", profile: "loop-a")
        try expectConfigError(.conflictingSettings, containing: "both source_profile and credential_source", profile: "both-sources")
        try expectConfigError(.incompleteKeys, containing: "neither source_profile nor credential_source", profile: "no-source")
        try expectConfigError(.incompleteKeys, containing: "aws_secret_access_key is missing (/cfg/config:", profile: "half")
        try expectConfigError(.invalidSetting, containing: "duration_seconds = 60; allowed: 900 to 43200", profile: "bad-duration")
        let noIMDS = ["AWS_EC2_METADATA_DISABLED": "true"]
        try expectConfigError(
            .noCredentials, containing: "credential_source = Ec2InstanceMetadata, but AWS_EC2_METADATA_DISABLED",
            environment: noIMDS, profile: "imds")
        try expectConfigError(.invalidSetting, containing: "there is no [sso-session corp] section", profile: "sso")
        try expectConfigError(
            .noCredentials, containing: "profile 'empty' has no credentials", environment: noIMDS, profile: "empty")
        try expectConfigError(
            .insecureEndpoint, containing: "AWS_EC2_METADATA_SERVICE_ENDPOINT = 'http://10.0.0.1/'",
            environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://10.0.0.1/"], profile: "empty")
        try expectConfigError(
            .insecureEndpoint, containing: "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://10.0.0.1/creds"], profile: "empty")
        try expectConfigError(.noCredentials, containing: "credential_source = Environment", profile: "from-env")
        try expectConfigError(
            .incompleteKeys, containing: "AWS_SECRET_ACCESS_KEY is not", environment: ["AWS_ACCESS_KEY_ID": "AKIA"], profile: nil)
    }

    /// botocore's chain ends with the machine's own credentials: a profile without any of its
    /// own (only a region, say) uses the container endpoint, else the instance metadata.
    @Test func aProfileWithoutCredentialsFallsBackToTheHost() throws {
        let imds = try resolver().resolve(profile: "empty").credentials
        #expect(imds is InstanceMetadataCredentialProvider)
        #expect("\(imds)" == "EC2 instance metadata (http://169.254.169.254/)")
        let container = try resolver(environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc"])
            .resolve(profile: "empty").credentials
        #expect("\(container)" == "container credentials (http://169.254.170.2)")  // the path is a capability
        let roleOnIMDS = try resolver().resolve(profile: "imds").credentials as! AssumeRoleCredentialProvider
        #expect(roleOnIMDS.source is InstanceMetadataCredentialProvider)
    }

    @Test func organizationsSharingAProfileShareItsProvider() throws {
        let resolver = try resolver()
        let first = try resolver.resolve(profile: "org-a").credentials as! AssumeRoleCredentialProvider
        let second = try resolver.resolve(profile: "org-a").credentials as! AssumeRoleCredentialProvider
        let same = first === second
        #expect(same)
    }

    @Test func maxAttemptsFromTheProfile() throws {
        #expect(try resolver().resolve(profile: "patient").maxAttempts == 12)
        #expect(try resolver().resolve(profile: "base").maxAttempts == nil)
        try expectConfigError(.invalidSetting, containing: "max_attempts = lots", profile: "impatient")
    }

    @Test func noSecretInAnyDescription() throws {
        let environment = ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "envsecret", "AWS_SESSION_TOKEN": "envtoken"]
        let profile = try resolver(environment: environment).resolve(profile: nil)
        let texts = ["\(profile.credentials)", "\(try profile.credentials.credentials())", "\(profile)"]
        for text in texts {
            #expect(!text.contains("envsecret"))
            #expect(!text.contains("envtoken"))
        }
        for name in ["half", "self-keys", "base", "keys-and-role"] {
            let text: String
            do {
                let resolved = try resolver().resolve(profile: name)
                text = "\(resolved.credentials) \(resolved)"
            } catch {
                text = "\(error)"
            }
            for secret in ["selfsecret", "basesecret", "krsecret"] {
                #expect(!text.contains(secret))
            }
        }
    }
}
