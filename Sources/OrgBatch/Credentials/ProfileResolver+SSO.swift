/// IAM Identity Center profiles, with botocore's rules (`SSOProvider`): a profile that sets
/// `sso_account_id` or `sso_role_name` uses SSO and must have all of `sso_account_id`,
/// `sso_role_name`, `sso_start_url` and `sso_region`, the last two either in the profile
/// (legacy) or in the `[sso-session NAME]` its `sso_session` names; a setting in both places
/// must agree.
extension ProfileResolver {
    func ssoCredentials(_ name: String, _ settings: SharedConfig.Settings) throws(ConfigError)
        -> (any CredentialProvider)?
    {
        guard settings["sso_account_id"] != nil || settings["sso_role_name"] != nil else { return nil }
        var merged = settings.mapValues(\.value)
        let sessionName = settings["sso_session"]?.value
        if let sessionName {
            guard let session = config.ssoSessions[sessionName] else {
                throw ConfigError(
                    .invalidSetting,
                    "profile '\(name)' names sso_session = \(sessionName), but there is no [sso-session \(sessionName)] section",
                    profile: name, files: config.filesRead)
            }
            for (key, setting) in session {
                if let own = merged[key], own != setting.value {
                    throw ConfigError(
                        .conflictingSettings,
                        "profile '\(name)' sets \(key) = \(own), but its sso-session '\(sessionName)' sets \(setting.value); keep one",
                        profile: name, files: config.filesRead)
                }
                merged[key] = setting.value
            }
        }
        let required = ["sso_account_id", "sso_role_name", "sso_start_url", "sso_region"]
        let missing = required.filter { (merged[$0] ?? "").isEmpty }
        guard missing.isEmpty else {
            throw ConfigError(
                .incompleteKeys,
                "profile '\(name)' uses IAM Identity Center but lacks " + missing.joined(separator: ", ")
                    + (sessionName == nil ? " (set them in the profile, or name an [sso-session] with sso_session)" : ""),
                profile: name, files: config.filesRead)
        }
        let ssoRegion = merged["sso_region"]!
        let login = SSOTokenProvider.Login(
            sessionName: sessionName, startURL: merged["sso_start_url"]!, region: ssoRegion, profile: name)
        let portal = try endpoints.endpoint(for: .sso, profile: (name, settings), region: ssoRegion)
        let oidc = try endpoints.endpoint(for: .ssoOIDC, profile: (name, settings), region: ssoRegion)
        // Profiles of one login share its token, so a refresh is done (and written) once.
        let token = try memo.value("sso-token:" + SSOToken.cacheFileName(sessionName: sessionName, startURL: login.startURL)) {
            () throws(ConfigError) in
            SSOTokenProvider(
                login: login, cacheDirectory: ssoCacheDirectory, oidcEndpoint: oidc, transportFactory: transportFactory,
                clock: clock, retryPolicy: retryPolicy, timeouts: timeouts)
        }
        return SSOCredentialProvider(
            accountID: merged["sso_account_id"]!, roleName: merged["sso_role_name"]!, token: token,
            portalEndpoint: portal, transportFactory: transportFactory, clock: clock, retryPolicy: retryPolicy,
            timeouts: timeouts)
    }
}
