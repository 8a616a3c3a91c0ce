import Foundation
import Testing

@testable import OrgBatch

@Suite("JobLoader: job files read and checked offline, every problem with its place")
struct JobLoaderTests {
    // MARK: Helpers

    /// Each problem as `file:line:column: keyPath: message`; records an issue when the job loads.
    static func problems(_ text: String, loader: JobLoader = JobLoader()) -> [String] {
        do {
            _ = try loader.load(text: text, path: "job.yaml")
            Testing.Issue.record("the job loaded; expected validation errors")
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    /// A valid header (one org) followed by `actions` from line 4 on.
    static func withActions(_ actions: String) -> String {
        "version: 1\norgs: [{name: prod, profile: prod}]\nactions:\n" + actions
    }

    static let contact = ContactValues(
        name: "Security Operations", title: "Security Team", email: "${security}", phone: "+1 206 555 0100")

    /// The job both `fullYAML` and `fullJSON` describe: every action, state and target feature.
    static let expectedKinds: [JobAction.Kind] = [
        .trustedAccess(servicePrincipal: "account.amazonaws.com", enabled: true),
        .trustedAccess(servicePrincipal: "account.amazonaws.com", enabled: false),
        .delegatedAdmin(servicePrincipal: "account.amazonaws.com", account: "${admin}", registered: true),
        .delegatedAdmin(servicePrincipal: "account.amazonaws.com", account: "210000000009", registered: false),
        .alternateContact(type: .security, contact: contact),
        .alternateContact(type: .operations, contact: nil),
        .audit,
        .audit,
        .audit,
        // Defaults: enabled, registered, present.
        .trustedAccess(servicePrincipal: "sso.amazonaws.com", enabled: true),
        .delegatedAdmin(servicePrincipal: "sso.amazonaws.com", account: "210000000001", registered: true),
        .alternateContact(type: .billing, contact: ContactValues(name: "N", title: "T", email: "b@example.com", phone: "1")),
    ]

    static let expectedActionTargets: [TargetSpec?] = [
        nil, nil, nil, nil,
        TargetSpec(accounts: .list(["111111111111", "${admin}"]), ous: ["Prod/Web"], managementAccount: false),
        nil, nil, nil,
        TargetSpec(ous: ["ou-abcd-22222222"], excludeAccounts: ["444444444444"]),
        nil, nil, nil,
    ]

    static let expectedTargets = TargetSpec(
        accounts: .all, excludeAccounts: ["333333333333"], excludeOUs: ["Suspended", "ou-abcd-11111111"],
        managementAccount: true)

    static let expectedVars: [[String: String]] = [
        ["admin": "210000000001", "security": "security-prod@example.com"],
        ["admin": "220000000001", "security": "sec@example.org"],
    ]

    static let fullYAML = """
        # A job using every feature.
        version: 1
        orgs:
          - name: prod
            profile: prod-admin
            vars:
              admin: "210000000001"
              security: security-prod@example.com
          - name: sandbox.eu_2
            profile: sandbox
            vars: {admin: "220000000001", security: sec@example.org}
        targets:
          accounts: all
          exclude:
            accounts: ["333333333333"]
            ous: [Suspended, ou-abcd-11111111]
          managementAccount: true
        actions:
          - trustedAccess:
              servicePrincipal: account.amazonaws.com
              state: enabled
          - trustedAccess: {servicePrincipal: account.amazonaws.com, state: disabled}
          - delegatedAdmin:
              servicePrincipal: account.amazonaws.com
              account: ${admin}
              state: registered
          - delegatedAdmin: {servicePrincipal: account.amazonaws.com, account: "210000000009", state: deregistered}
          - alternateContact:
              type: SECURITY
              name: Security Operations
              title: Security Team
              email: ${security}
              phone: "+1 206 555 0100"
              targets:
                accounts: ["111111111111", "${admin}"]
                ous: [Prod/Web]
                managementAccount: false
          - alternateContact: {type: OPERATIONS, state: absent}
          - audit:
          - audit: {}
          - audit:
              targets: {ous: [ou-abcd-22222222], exclude: {accounts: ["444444444444"]}}
          - trustedAccess: {servicePrincipal: sso.amazonaws.com}
          - delegatedAdmin: {servicePrincipal: sso.amazonaws.com, account: "210000000001"}
          - alternateContact: {type: BILLING, name: N, title: T, email: b@example.com, phone: "1"}
        """

    static let fullJSON = """
        {
          "version": 1,
          "orgs": [
            {"name": "prod", "profile": "prod-admin", "vars": {"admin": "210000000001", "security": "security-prod@example.com"}},
            {"name": "sandbox.eu_2", "profile": "sandbox", "vars": {"admin": "220000000001", "security": "sec@example.org"}}
          ],
          "targets": {"accounts": "all", "exclude": {"accounts": ["333333333333"], "ous": ["Suspended", "ou-abcd-11111111"]}, "managementAccount": true},
          "actions": [
            {"trustedAccess": {"servicePrincipal": "account.amazonaws.com", "state": "enabled"}},
            {"trustedAccess": {"servicePrincipal": "account.amazonaws.com", "state": "disabled"}},
            {"delegatedAdmin": {"servicePrincipal": "account.amazonaws.com", "account": "${admin}", "state": "registered"}},
            {"delegatedAdmin": {"servicePrincipal": "account.amazonaws.com", "account": "210000000009", "state": "deregistered"}},
            {"alternateContact": {"type": "SECURITY", "name": "Security Operations", "title": "Security Team", "email": "${security}", "phone": "+1 206 555 0100", "targets": {"accounts": ["111111111111", "${admin}"], "ous": ["Prod/Web"], "managementAccount": false}}},
            {"alternateContact": {"type": "OPERATIONS", "state": "absent"}},
            {"audit": {}},
            {"audit": {}},
            {"audit": {"targets": {"ous": ["ou-abcd-22222222"], "exclude": {"accounts": ["444444444444"]}}}},
            {"trustedAccess": {"servicePrincipal": "sso.amazonaws.com"}},
            {"delegatedAdmin": {"servicePrincipal": "sso.amazonaws.com", "account": "210000000001"}},
            {"alternateContact": {"type": "BILLING", "name": "N", "title": "T", "email": "b@example.com", "phone": "1"}}
          ]
        }
        """

    // MARK: Valid jobs

    @Test func fullYAMLJob() throws {
        let job = try JobLoader().load(text: Self.fullYAML, path: "jobs/full.yaml")
        #expect(job.path == "jobs/full.yaml")
        #expect(
            job.orgs == [
                JobOrg(name: "prod", profile: "prod-admin", vars: Self.expectedVars[0], line: 4),
                JobOrg(name: "sandbox.eu_2", profile: "sandbox", vars: Self.expectedVars[1], line: 9),
            ])
        #expect(job.org(named: "sandbox.eu_2")?.profile == "sandbox")
        #expect(job.org(named: "staging") == nil)
        #expect(job.targets == Self.expectedTargets)
        #expect(job.actions.map(\.kind) == Self.expectedKinds)
        #expect(job.actions.map(\.targets) == Self.expectedActionTargets)
        #expect(job.actions.map(\.step) == Array(1...12))
        #expect(job.actions.map(\.line) == [19, 22, 23, 27, 28, 38, 39, 40, 41, 43, 44, 45])
    }

    @Test func fullJSONJob() throws {
        let job = try JobLoader().load(text: Self.fullJSON, path: "jobs/full.json")
        #expect(
            job.orgs == [
                JobOrg(name: "prod", profile: "prod-admin", vars: Self.expectedVars[0], line: 4),
                JobOrg(name: "sandbox.eu_2", profile: "sandbox", vars: Self.expectedVars[1], line: 5),
            ])
        #expect(job.targets == Self.expectedTargets)
        #expect(job.actions.map(\.kind) == Self.expectedKinds)
        #expect(job.actions.map(\.targets) == Self.expectedActionTargets)
        #expect(job.actions.map(\.step) == Array(1...12))
        #expect(job.actions.map(\.line) == Array(9...20))
    }

    @Test func minimalJobHasDefaultTargets() throws {
        let job = try JobLoader().load(
            text: "orgs: [{name: prod, profile: prod}]\nactions: [{audit: {}}]\n", path: "min.yaml")
        #expect(job.orgs == [JobOrg(name: "prod", profile: "prod", vars: [:], line: 1)])
        #expect(job.targets == TargetSpec())
        #expect(job.actions == [JobAction(kind: .audit, targets: nil, step: 1, line: 2)])
    }

    @Test func anEmptyActionBodyIsNothingTildeOrNullButNotTheWordNullQuoted() throws {
        let job = try JobLoader().load(
            text: Self.withActions("  - audit:\n  - audit: ~\n  - audit: null\n  - audit: NULL\n  - audit: \"\"\n"), path: "job.yaml")
        #expect(job.actions.map(\.kind) == [.audit, .audit, .audit, .audit, .audit])
        let json = try JobLoader().load(
            text: #"{"orgs": [{"name": "prod", "profile": "prod"}], "actions": [{"audit": null}]}"#, path: "job.json")
        #expect(json.actions.map(\.kind) == [.audit])
        // A quoted "null" is text, not null; so is "nil".
        #expect(
            Self.problems(Self.withActions("  - audit: \"null\"\n  - audit: nil\n")) == [
                "job.yaml:4:12: actions[0].audit: expected a mapping (key: value); keys allowed: targets",
                "job.yaml:5:12: actions[1].audit: expected a mapping (key: value); keys allowed: targets",
            ])
        // Values are read as written: numbers, booleans and dates keep their text.
        let typed = try JobLoader().load(
            text: Self.withActions(
                "  - alternateContact: {type: BILLING, name: 1e3, title: 2026-12-03, email: b@example.com, phone: 0010}\n"),
            path: "job.yaml")
        #expect(typed.actions.map(\.kind) == [.alternateContact(type: .billing, contact: ContactValues(name: "1e3", title: "2026-12-03", email: "b@example.com", phone: "0010"))])
    }

    @Test func exampleJobsInTheRepositoryLoad() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let jobs = root.appendingPathComponent("jobs")
        let files = try FileManager.default.contentsOfDirectory(atPath: jobs.path).filter {
            $0.hasSuffix(".yaml") || $0.hasSuffix(".json")
        }
        #expect(!files.isEmpty)
        for file in files {
            let path = jobs.appendingPathComponent(file).path
            #expect(throws: Never.self, "\(file)") {
                let job = try JobLoader().load(path: path)
                #expect(job.path == path)
                #expect(!job.orgs.isEmpty && !job.actions.isEmpty)
            }
        }
    }

    @Test func loadsFromAFile() throws {
        let folder = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("job.yaml").path
        try Data(Self.fullYAML.utf8).write(to: URL(fileURLWithPath: path))
        let job = try JobLoader().load(path: path)
        #expect(job.path == path)
        #expect(job.actions.map(\.kind) == Self.expectedKinds)
    }

    @Test func unreadableFile() {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("missing.yaml").path
        #expect(throws: JobValidationError(issues: [
            .init(file: path, line: 0, column: 0, keyPath: "", message: "cannot read the file")
        ])) {
            try JobLoader().load(path: path)
        }
    }

    // MARK: The error format

    @Test func errorDescriptionFormat() {
        let error = JobValidationError(issues: [
            .init(file: "jobs/rollout.yaml", line: 12, column: 7, keyPath: "actions[2].alternateContact.email",
                  message: "'x' is not an email"),
            .init(file: "jobs/rollout.yaml", line: 1, column: 1, keyPath: "", message: "the file is empty"),
        ])
        #expect(
            error.description
                == "jobs/rollout.yaml:12:7: actions[2].alternateContact.email: 'x' is not an email\n"
                + "jobs/rollout.yaml:1:1: the file is empty")
        #expect(error.code == "job.invalid")
    }

    @Test func issueFields() {
        #expect(throws: JobValidationError(issues: [
            .init(file: "j.yaml", line: 1, column: 10, keyPath: "version", message: "only version 1 exists")
        ])) {
            try JobLoader().load(text: "version: 2\norgs: [{name: a, profile: a}]\nactions: [{audit: {}}]", path: "j.yaml")
        }
    }

    // MARK: Document-level errors

    @Test func emptyFile() {
        #expect(Self.problems("") == ["job.yaml:1:1: the file is empty; a job needs orgs and actions"])
        #expect(Self.problems("# only a comment\n\n") == ["job.yaml:1:1: the file is empty; a job needs orgs and actions"])
    }

    @Test func versionTwo() {
        #expect(
            Self.problems("version: 2\norgs: [{name: prod, profile: prod}]\nactions: [{audit: {}}]\n")
                == ["job.yaml:1:10: version: only version 1 exists"])
    }

    @Test func missingOrgsAndActions() {
        #expect(
            Self.problems("version: 1\n") == [
                "job.yaml:1:1: orgs: missing: a job needs at least one organization",
                "job.yaml:1:1: actions: missing: a job needs at least one action",
            ])
    }

    @Test func topLevelNotAMapping() {
        #expect(
            Self.problems("- orgs\n- actions\n")
                == ["job.yaml:1:1: expected a mapping (key: value); keys allowed: version, orgs, targets, actions, rateLimits"])
    }

    @Test func unknownTopLevelKeyWithSuggestion() {
        let text = """
            version: 1
            orgs:
              - name: prod
                profile: prod
            action:
              - audit: {}
            description: rollout
            """
        #expect(
            Self.problems(text) == [
                "job.yaml:5:1: action: unknown key 'action'; allowed: version, orgs, targets, actions, rateLimits; did you mean 'actions'?",
                "job.yaml:7:1: description: unknown key 'description'; allowed: version, orgs, targets, actions, rateLimits",
                "job.yaml:1:1: actions: missing: a job needs at least one action",
            ])
    }

    @Test func invalidYAMLSyntax() {
        let text = "version: 1\norgs:\n\t- name: prod\n"
        #expect(Self.problems(text) == ["job.yaml:3:1: not valid YAML: found character that cannot start any token"])
    }

    @Test func invalidFlowSyntax() {
        let text = "version: 1\norgs: [{name: prod, profile: prod}\nactions: [{audit: {}}]\n"
        #expect(Self.problems(text) == ["job.yaml:3:1: not valid YAML: did not find expected ',' or ']'"])
    }

    @Test func duplicatedKeysAreNamed() throws {
        let text = """
            version: 1
            orgs:
              - name: prod
                profile: prod
                profile: other
            actions:
              - audit: {}
            """
        let error = #expect(throws: JobValidationError.self) { try JobLoader().load(text: text, path: "job.yaml") }
        #expect(error?.issues.count == 1)
        #expect(error?.issues.first?.file == "job.yaml")
        #expect(error?.issues.first?.keyPath == "")
        #expect(error?.issues.first?.message == "a key appears twice in one mapping: profile")
    }

    /// Yams reports where the duplicated key is (`YamlError.Context.mark`); the loader drops it.
    @Test
    func duplicatedKeysArePlaced() {
        let text = """
            version: 1
            orgs:
              - name: prod
                profile: prod
                profile: other
            actions:
              - audit: {}
            """
        #expect(Self.problems(text) == ["job.yaml:4:5: a key appears twice in one mapping: profile"])
    }

    // MARK: Orgs

    @Test func wrongTypes() {
        let text = """
            version: 1
            orgs: prod
            targets: {managementAccount: yes, ous: Prod}
            actions: {audit: {}}
            """
        #expect(
            Self.problems(text) == [
                "job.yaml:2:7: orgs: expected a list",
                "job.yaml:3:40: targets.ous: expected a list",
                "job.yaml:3:30: targets.managementAccount: expected true or false",
                "job.yaml:4:10: actions: expected a list",
            ])
    }

    @Test func emptyLists() {
        #expect(
            Self.problems("orgs: []\nactions: []\n") == [
                "job.yaml:1:7: orgs: must not be empty", "job.yaml:2:10: actions: must not be empty",
            ])
    }

    @Test func orgFieldsOfTheWrongShape() {
        let text = """
            version: 1
            orgs:
              - name: {first: prod}
                profile: [a, b]
                vars: [admin]
              - sandbox
            actions:
              - audit: {}
            """
        #expect(
            Self.problems(text) == [
                "job.yaml:3:11: orgs[0].name: expected a single value, not a mapping",
                "job.yaml:4:14: orgs[0].profile: expected a single value, not a list",
                "job.yaml:5:11: orgs[0].vars: expected a mapping (key: value)",
                "job.yaml:6:5: orgs[1]: expected a mapping (key: value); keys allowed: name, profile, vars",
            ])
    }

    @Test func missingOrgFields() {
        let text = """
            version: 1
            orgs:
              - name: prod
              - profile: other
                region: us-east-1
            actions:
              - audit: {}
            """
        #expect(
            Self.problems(text) == [
                "job.yaml:3:5: orgs[0].profile: missing",
                "job.yaml:5:5: orgs[1].region: unknown key 'region'; allowed: name, profile, vars",
                "job.yaml:4:5: orgs[1].name: missing",
            ])
    }

    @Test func duplicateOrgNames() {
        let text = """
            version: 1
            orgs:
              - name: prod
                profile: a
              - name: prod
                profile: b
            actions:
              - audit: {}
            """
        #expect(Self.problems(text) == ["job.yaml:5:11: orgs[1].name: org 'prod' is already defined on line 3"])
    }

    /// The duplicate is `orgs[2]` (line 6), but the check indexes the orgs that loaded, not the file's list.
    @Test
    func duplicateOrgAfterABrokenOrg() {
        let text = """
            version: 1
            orgs:
              - name: broken
              - name: prod
                profile: prod
              - name: prod
                profile: prod
            actions:
              - audit: {}
            """
        #expect(
            Self.problems(text) == [
                "job.yaml:3:5: orgs[0].profile: missing",
                "job.yaml:6:11: orgs[2].name: org 'prod' is already defined on line 4",
            ])
    }

    @Test(arguments: ["my prod", "", "prod/eu", "prød", "a:b", "prod!"])
    func unusableOrgName(_ name: String) {
        let text = "version: 1\norgs:\n  - name: \"\(name)\"\n    profile: prod\nactions: [{audit: {}}]\n"
        #expect(
            Self.problems(text) == [
                "job.yaml:3:11: orgs[0].name: '\(name)' is not a usable org name; use letters, digits, '.', '_' and '-'"
            ])
    }

    @Test(arguments: ["prod", "Prod-2", "eu_west.1", "0"])
    func usableOrgName(_ name: String) throws {
        let text = "orgs: [{name: \"\(name)\", profile: p}]\nactions: [{audit: {}}]\n"
        #expect(try JobLoader().load(text: text, path: "j.yaml").orgs.map(\.name) == [name])
    }

    // MARK: Profiles against the shared config

    static let sharedConfig: SharedConfig = {
        let config = try! ConfigFile.parse(
            "[default]\nregion = us-east-1\n\n[profile prod]\nregion = us-east-1\n\n[profile sandbox]\nregion = eu-west-1\n",
            path: "/home/u/.aws/config")
        return SharedConfig(
            config: config, credentials: nil, filesRead: ["/home/u/.aws/config", "/home/u/.aws/credentials (missing)"])
    }()

    static let profilesJob = """
        version: 1
        orgs:
          - name: prod
            profile: prd
          - name: sandbox
            profile: sandbox
        actions:
          - audit: {}
        """

    @Test func undefinedProfile() {
        #expect(
            Self.problems(Self.profilesJob, loader: JobLoader(sharedConfig: Self.sharedConfig)) == [
                "job.yaml:4:14: orgs[0].profile: profile 'prd' is not defined (files read: /home/u/.aws/config, "
                    + "/home/u/.aws/credentials (missing)); profiles defined: default, prod, sandbox; did you mean 'prod'?"
            ])
    }

    @Test func undefinedProfileWithNoProfilesAtAll() {
        let empty = SharedConfig(config: nil, credentials: nil, filesRead: ["/cfg (missing)"])
        let text = "orgs: [{name: prod, profile: prod}]\nactions: [{audit: {}}]\n"
        #expect(
            Self.problems(text, loader: JobLoader(sharedConfig: empty)) == [
                "job.yaml:1:30: orgs[0].profile: profile 'prod' is not defined (files read: /cfg (missing)); profiles defined: none"
            ])
    }

    @Test func profilesAreNotCheckedWithoutASharedConfig() throws {
        #expect(try JobLoader().load(text: Self.profilesJob, path: "job.yaml").orgs.map(\.profile) == ["prd", "sandbox"])
        let fixed = Self.profilesJob.replacingOccurrences(of: "profile: prd", with: "profile: prod")
        #expect(try JobLoader(sharedConfig: Self.sharedConfig).load(text: fixed, path: "job.yaml").orgs.count == 2)
    }

    // MARK: Targets

    @Test func accountIDsMustBeTwelveDigits() {
        let text = """
            version: 1
            orgs: [{name: prod, profile: prod}]
            targets:
              accounts: ["12345678901", "123456789012", abc]
              exclude:
                accounts: [1234567890123]
            actions:
              - delegatedAdmin: {servicePrincipal: account.amazonaws.com, account: "12345"}
            """
        #expect(
            Self.problems(text) == [
                "job.yaml:4:14: targets.accounts[0]: '12345678901' is not a 12-digit account id",
                "job.yaml:4:45: targets.accounts[2]: 'abc' is not a 12-digit account id",
                "job.yaml:6:16: targets.exclude.accounts[0]: '1234567890123' is not a 12-digit account id",
                "job.yaml:8:72: actions[0].delegatedAdmin.account: '12345' is not a 12-digit account id",
            ])
    }

    /// `accounts[1]` is the bad id; the non-scalar `accounts[0]` shifts the index the check reports.
    @Test
    func accountIDIndexAfterANonScalarItem() {
        let text = "version: 1\norgs: [{name: prod, profile: prod}]\ntargets:\n  accounts: [[1], \"123\"]\nactions: [{audit: {}}]\n"
        #expect(
            Self.problems(text) == [
                "job.yaml:4:14: targets.accounts[0]: expected a single value, not a list",
                "job.yaml:4:19: targets.accounts[1]: '123' is not a 12-digit account id",
            ])
    }

    @Test func targetFieldsOfTheWrongShape() {
        let text = """
            version: 1
            orgs: [{name: prod, profile: prod}]
            targets:
              accounts: everyone
              ou: [Prod]
              exclude: [Suspended]
            actions:
              - audit: {targets: [Prod]}
            """
        #expect(
            Self.problems(text) == [
                "job.yaml:5:3: targets.ou: unknown key 'ou'; allowed: accounts, ous, exclude, managementAccount; did you mean 'ous'?",
                "job.yaml:4:13: targets.accounts: expected 'all' or a list of 12-digit account ids",
                "job.yaml:6:12: targets.exclude: expected a mapping (key: value); keys allowed: accounts, ous",
                "job.yaml:8:22: actions[0].audit.targets: expected a mapping (key: value); keys allowed: accounts, ous, exclude, managementAccount",
            ])
    }

    /// A `${var}` in targets is expanded per org at run time (OrgPreparer) but never checked
    /// here, unlike the same reference in an action: the job validates, then the org fails preflight.
    @Test
    func variableAnOrgLacksInTargets() {
        let text = """
            version: 1
            orgs: [{name: prod, profile: prod}]
            targets: {accounts: ["${admin}"]}
            actions: [{audit: {}}]
            """
        let error = #expect(throws: JobValidationError.self) { try JobLoader().load(text: text, path: "job.yaml") }
        #expect(error?.issues.map(\.keyPath) == ["targets.accounts[0]"])
        #expect(error?.issues.first?.message.contains("'admin'") == true)
    }

    // MARK: Actions

    @Test func unknownKeyInsideAnAction() {
        let text = Self.withActions(
            """
              - trustedAccess:
                  servicePrincipal: account.amazonaws.com
                  stat: enabled
              - alternateContact: {type: BILLING, name: N, title: T, emial: b@example.com, phone: "1"}
              - audit: {target: {ous: [Prod]}}
            """)
        #expect(
            Self.problems(text) == [
                "job.yaml:6:7: actions[0].trustedAccess.stat: unknown key 'stat'; allowed: servicePrincipal, state; did you mean 'state'?",
                "job.yaml:7:58: actions[1].alternateContact.emial: unknown key 'emial'; allowed: type, state, name, title, email, phone, targets; did you mean 'email'?",
                "job.yaml:7:23: actions[1].alternateContact.email: missing",
                "job.yaml:8:13: actions[2].audit.target: unknown key 'target'; allowed: targets; did you mean 'targets'?",
            ])
    }

    @Test func unknownActionName() {
        let text = Self.withActions(
            """
              - trustedAcess: {servicePrincipal: account.amazonaws.com}
              - deploy: {}
            """)
        #expect(
            Self.problems(text) == [
                "job.yaml:4:5: actions[0]: unknown action 'trustedAcess'; allowed: trustedAccess, delegatedAdmin, alternateContact, audit; did you mean 'trustedAccess'?",
                "job.yaml:5:5: actions[1]: unknown action 'deploy'; allowed: trustedAccess, delegatedAdmin, alternateContact, audit",
            ])
    }

    @Test func actionNotAOneKeyMapping() {
        let text = Self.withActions(
            """
              - audit: {}
                trustedAccess: {servicePrincipal: account.amazonaws.com}
              - audit
            """)
        let message = "each action is a mapping with one key: trustedAccess, delegatedAdmin, alternateContact, audit"
        #expect(Self.problems(text) == ["job.yaml:4:5: actions[0]: \(message)", "job.yaml:6:5: actions[1]: \(message)"])
    }

    @Test func badContactValues() {
        let text = Self.withActions(
            """
              - alternateContact:
                  type: SECURITY
                  name: \(String(repeating: "N", count: 65))
                  title: \(String(repeating: "T", count: 51))
                  email: not-an-email
                  phone: "+1 (206) CALL-NOW"
            """)
        #expect(
            Self.problems(text) == [
                "job.yaml:6:13: actions[0].alternateContact.name: '\(String(repeating: "N", count: 65))' is 65 characters long; at most 64 are allowed",
                "job.yaml:7:14: actions[0].alternateContact.title: '\(String(repeating: "T", count: 51))' is 51 characters long; at most 50 are allowed",
                "job.yaml:8:14: actions[0].alternateContact.email: 'not-an-email' is not an email address the Account API accepts (local@domain.tld)",
                "job.yaml:9:14: actions[0].alternateContact.phone: '+1 (206) CALL-NOW' may contain only digits, spaces and + - ( )",
            ])
    }

    @Test func contactValuesAtTheLimitsLoad() throws {
        let text = Self.withActions(
            """
              - alternateContact:
                  type: SECURITY
                  name: \(String(repeating: "N", count: 64))
                  title: \(String(repeating: "T", count: 50))
                  email: a@b.co
                  phone: "\(String(repeating: "9", count: 25))"
            """)
        let job = try JobLoader().load(text: text, path: "job.yaml")
        #expect(
            job.actions.map(\.kind) == [
                .alternateContact(
                    type: .security,
                    contact: ContactValues(
                        name: String(repeating: "N", count: 64), title: String(repeating: "T", count: 50), email: "a@b.co",
                        phone: String(repeating: "9", count: 25)))
            ])
    }

    @Test func badServicePrincipal() {
        let text = Self.withActions("  - trustedAccess: {servicePrincipal: \"account amazonaws com\"}\n")
        #expect(
            Self.problems(text) == [
                "job.yaml:4:39: actions[0].trustedAccess.servicePrincipal: 'account amazonaws com' is not a service principal (for example account.amazonaws.com)"
            ])
    }

    @Test func badContactType() {
        let text = Self.withActions(
            """
              - alternateContact: {type: Security, state: absent}
              - alternateContact: {type: FINANCE, state: absent}
              - alternateContact: {state: absent}
            """)
        #expect(
            Self.problems(text) == [
                "job.yaml:4:30: actions[0].alternateContact.type: 'Security' is not a contact type; allowed: BILLING, OPERATIONS, SECURITY; did you mean 'SECURITY'?",
                "job.yaml:5:30: actions[1].alternateContact.type: 'FINANCE' is not a contact type; allowed: BILLING, OPERATIONS, SECURITY",
                "job.yaml:6:23: actions[2].alternateContact.type: missing; allowed: BILLING, OPERATIONS, SECURITY",
            ])
    }

    @Test func stateNotAllowed() {
        let text = Self.withActions(
            """
              - trustedAccess: {servicePrincipal: account.amazonaws.com, state: enable}
              - delegatedAdmin: {servicePrincipal: account.amazonaws.com, account: "111111111111", state: on}
              - alternateContact: {type: BILLING, state: removed, name: N, title: T, email: b@example.com, phone: "1"}
            """)
        #expect(
            Self.problems(text) == [
                "job.yaml:4:69: actions[0].trustedAccess.state: 'enable' is not allowed; allowed: enabled, disabled; did you mean 'enabled'?",
                "job.yaml:5:95: actions[1].delegatedAdmin.state: 'on' is not allowed; allowed: registered, deregistered",
                "job.yaml:6:46: actions[2].alternateContact.state: 'removed' is not allowed; allowed: present, absent",
            ])
    }

    @Test func valuesWithStateAbsent() {
        let text = Self.withActions(
            """
              - alternateContact:
                  type: OPERATIONS
                  state: absent
                  name: Ops
                  phone: "1"
            """)
        #expect(
            Self.problems(text) == [
                "job.yaml:7:13: actions[0].alternateContact.name: not allowed with state: absent",
                "job.yaml:8:14: actions[0].alternateContact.phone: not allowed with state: absent",
            ])
    }

    @Test func missingActionFields() {
        let text = Self.withActions(
            """
              - trustedAccess: {state: enabled}
              - delegatedAdmin: {state: registered}
              - alternateContact:
                  type: BILLING
            """)
        #expect(
            Self.problems(text) == [
                "job.yaml:4:20: actions[0].trustedAccess.servicePrincipal: missing",
                "job.yaml:5:21: actions[1].delegatedAdmin.servicePrincipal: missing",
                "job.yaml:5:21: actions[1].delegatedAdmin.account: missing",
                "job.yaml:7:7: actions[2].alternateContact.name: missing",
                "job.yaml:7:7: actions[2].alternateContact.title: missing",
                "job.yaml:7:7: actions[2].alternateContact.email: missing",
                "job.yaml:7:7: actions[2].alternateContact.phone: missing",
            ])
    }

    // MARK: ${var} references

    @Test func variableAnOrgLacks() {
        let text = """
            version: 1
            orgs:
              - name: prod
                profile: prod
                vars: {admin: "210000000001"}
              - name: sandbox
                profile: sandbox
            actions:
              - delegatedAdmin:
                  servicePrincipal: account.amazonaws.com
                  account: ${admin}
            """
        #expect(
            Self.problems(text) == [
                "job.yaml:11:16: actions[0].delegatedAdmin.account: org 'sandbox' has no var 'admin' (define it under orgs[].vars)"
            ])
    }

    @Test func variableWhoseValueIsBadInOneOrg() {
        let text = """
            version: 1
            orgs:
              - name: prod
                profile: prod
                vars: {security: sec@example.com, admin: "210000000001"}
              - name: sandbox
                profile: sandbox
                vars: {security: not-an-email, admin: "22000000000"}
            actions:
              - alternateContact:
                  type: SECURITY
                  name: Sec
                  title: Security
                  email: ${security}
                  phone: "1"
              - delegatedAdmin: {servicePrincipal: account.amazonaws.com, account: "${admin}"}
            """
        #expect(
            Self.problems(text) == [
                "job.yaml:14:14: actions[0].alternateContact.email: in org 'sandbox', '${security}' is 'not-an-email', which is not an email address the Account API accepts (local@domain.tld)",
                "job.yaml:16:72: actions[1].delegatedAdmin.account: in org 'sandbox', '${admin}' is '22000000000', which is not a 12-digit account id",
            ])
    }

    // MARK: Everything at once

    @Test func everyProblemIsReportedNotJustTheFirst() {
        let text = """
            version: 2
            orgs:
              - name: my prod
                profile: prod
            actions:
              - trustedAccess: {servicePrincipal: account.amazonaws.com, state: enabled}
              - auditt: {}
              - alternateContact: {type: BILLING, name: N, title: T, email: nope, phone: "1"}
            """
        #expect(
            Self.problems(text) == [
                "job.yaml:1:10: version: only version 1 exists",
                "job.yaml:3:11: orgs[0].name: 'my prod' is not a usable org name; use letters, digits, '.', '_' and '-'",
                "job.yaml:7:5: actions[1]: unknown action 'auditt'; allowed: trustedAccess, delegatedAdmin, alternateContact, audit; did you mean 'audit'?",
                "job.yaml:8:65: actions[2].alternateContact.email: 'nope' is not an email address the Account API accepts (local@domain.tld)",
            ])
    }
}
