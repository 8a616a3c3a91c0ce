import Foundation
import Yams

/// Reads a job file (YAML; JSON is YAML too) and checks everything that can be checked
/// offline, collecting every problem with its line, column and key path.
///
/// The schema (README: "Job file reference"):
/// ```yaml
/// version: 1
/// orgs:
///   - name: prod
///     profile: prod-management
///     vars: {admin: "111111111111"}
/// targets: {accounts: all, ous: [...], exclude: {accounts: [...], ous: [...]}, managementAccount: true}
/// actions:
///   - trustedAccess: {servicePrincipal: account.amazonaws.com, state: enabled}
///   - delegatedAdmin: {servicePrincipal: account.amazonaws.com, account: "${admin}", state: registered}
///   - alternateContact: {type: SECURITY, name: …, title: …, email: …, phone: …}
///   - audit: {}
/// ```
public struct JobLoader: Sendable {
    /// The user's profiles, to check that every org's profile exists; nil skips that check.
    public var sharedConfig: SharedConfig?

    public init(sharedConfig: SharedConfig? = nil) {
        self.sharedConfig = sharedConfig
    }

    public static let actionNames = ["trustedAccess", "delegatedAdmin", "alternateContact", "audit"]

    public func load(path: String) throws(JobValidationError) -> Job {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JobValidationError(issues: [
                .init(file: path, line: 0, column: 0, keyPath: "", message: "cannot read the file")
            ])
        }
        return try load(text: String(decoding: data, as: UTF8.self), path: path)
    }

    public func load(text: String, path: String) throws(JobValidationError) -> Job {
        var reader = Reader(file: path)
        let root: Node?
        do {
            // No implicit typing: every value is read as the text it is, so Yams's regular
            // expressions for numbers, dates and booleans (compiled at first use, and run on
            // every key looked up) are not needed. They were a fifth of `validate`'s instructions.
            root = try Yams.compose(yaml: text, .basic)
        } catch {
            throw JobValidationError(issues: [reader.yamlIssue(error)])
        }
        guard let root else {
            reader.report(nil, "", "the file is empty; a job needs orgs and actions")
            throw JobValidationError(issues: reader.issues)
        }
        let job = reader.job(root, sharedConfig: sharedConfig)
        guard reader.issues.isEmpty, let job else { throw JobValidationError(issues: reader.issues) }
        return job
    }
}

/// Walks the YAML tree, building the job and noting every problem.
private struct Reader {
    let file: String
    var issues: [JobValidationError.Issue] = []

    init(file: String) { self.file = file }

    mutating func report(_ node: Node?, _ path: String, _ message: String) {
        issues.append(
            .init(file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, keyPath: path, message: message))
    }

    func yamlIssue(_ error: Error) -> JobValidationError.Issue {
        var line = 1
        var column = 1
        var message = "\(error)"
        if let error = error as? YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                .composer(_, let problem, let mark, _):
                line = mark.line
                column = mark.column
                message = "not valid YAML: \(problem)"
            case .duplicatedKeysInMapping(let duplicates, let context):
                line = context.mark.line
                column = context.mark.column
                message = "a key appears twice in one mapping: \(duplicates.joined(separator: ", "))"
            default:
                message = "not valid YAML: \(error)"
            }
        }
        return .init(file: file, line: line, column: column, keyPath: "", message: message)
    }

    // MARK: The document

    mutating func job(_ root: Node, sharedConfig: SharedConfig?) -> Job? {
        guard let top = mapping(root, "", allowed: ["version", "orgs", "targets", "actions", "rateLimits"]) else { return nil }
        if let version = top[named: "version"], version.string != "1" {
            report(version, "version", "only version 1 exists")
        }
        // Each org with its position in the file, so problems point at the right entry.
        var loaded: [(index: Int, org: JobOrg)] = []
        if let node = top[named: "orgs"], let list = sequence(node, "orgs", nonEmpty: true) {
            for (index, item) in list.enumerated() {
                if let org = org(item, "orgs[\(index)]") { loaded.append((index, org)) }
            }
        } else if top[named: "orgs"] == nil {
            report(root, "orgs", "missing: a job needs at least one organization")
        }
        checkOrgs(loaded, list: top[named: "orgs"], sharedConfig: sharedConfig)
        let orgs = loaded.map(\.org)

        let targets = top[named: "targets"].flatMap { self.targets($0, "targets", orgs: orgs) } ?? TargetSpec()
        var actions: [JobAction] = []
        if let node = top[named: "actions"], let list = sequence(node, "actions", nonEmpty: true) {
            for (index, item) in list.enumerated() {
                if let action = action(item, "actions[\(index)]", step: index + 1, orgs: orgs) { actions.append(action) }
            }
        } else if top[named: "actions"] == nil {
            report(root, "actions", "missing: a job needs at least one action")
        }
        var job = Job(path: file, orgs: orgs, targets: targets, actions: actions)
        if let node = top[named: "rateLimits"] { job.rateLimits = rateLimits(node, "rateLimits") }
        return job
    }

    /// `Operation: rate` or `Operation: {rate: r, burst: b}`.
    mutating func rateLimits(_ node: Node, _ path: String) -> [String: RateLimit] {
        guard let map = mapping(node, path, allowed: nil) else { return [:] }
        var limits: [String: RateLimit] = [:]
        for (keyNode, value) in map {
            guard let key = keyNode.string else { continue }
            let keyPath = "\(path).\(key)"
            guard RateLimitTable.isValidKey(key) else {
                report(keyNode, keyPath, "'\(key)' is not an operation; write PutAlternateContact, account:PutAlternateContact, organizations:* or *")
                continue
            }
            if let text = value.scalar?.string {
                guard let limit = RateLimit(parsing: text) else {
                    report(value, keyPath, "'\(text)' is not a rate; write requests per second, {rate: 10, burst: 15}, or none")
                    continue
                }
                limits[key] = limit
            } else if let fields = mapping(value, keyPath, allowed: ["rate", "burst"]) {
                let rate = fields[named: "rate"]?.string.flatMap(Double.init)
                let burst = fields[named: "burst"]?.string.flatMap(Double.init)
                guard let rate, rate > 0, burst.map({ $0 >= 1 }) ?? true else {
                    report(value, keyPath, "needs rate > 0 (requests per second) and, if given, burst >= 1")
                    continue
                }
                limits[key] = RateLimit(rate: rate, burst: burst)
            }
        }
        return limits
    }

    mutating func org(_ node: Node, _ path: String) -> JobOrg? {
        guard let map = mapping(node, path, allowed: ["name", "profile", "vars"]) else { return nil }
        let name = requiredString(map, "name", path, node)
        let profile = requiredString(map, "profile", path, node)
        if let name, name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) {
            report(map[named: "name"], "\(path).name", "'\(name)' is not a usable org name; use letters, digits, '.', '_' and '-'")
        }
        var vars: [String: String] = [:]
        if let varsNode = map[named: "vars"], let varsMap = mapping(varsNode, "\(path).vars", allowed: nil) {
            for (key, value) in varsMap {
                guard let name = key.string, let text = scalarString(value, "\(path).vars.\(name)") else { continue }
                vars[name] = text
            }
        }
        guard let name, let profile else { return nil }
        return JobOrg(name: name, profile: profile, vars: vars, line: node.mark?.line ?? 0)
    }

    mutating func checkOrgs(_ orgs: [(index: Int, org: JobOrg)], list: Node?, sharedConfig: SharedConfig?) {
        var seen: [String: Int] = [:]
        for (index, org) in orgs {
            let node = list?.sequence?[index].mapping?[named: "name"]
            if let first = seen[org.name] {
                report(node, "orgs[\(index)].name", "org '\(org.name)' is already defined on line \(first)")
            }
            seen[org.name] = seen[org.name] ?? org.line
            if let sharedConfig, sharedConfig.profiles[org.profile] == nil {
                let known = sharedConfig.profileNames
                report(
                    list?.sequence?[index].mapping?[named: "profile"], "orgs[\(index)].profile",
                    "profile '\(org.profile)' is not defined (files read: \(sharedConfig.filesRead.joined(separator: ", "))); "
                        + "profiles defined: \(known.isEmpty ? "none" : known.joined(separator: ", "))"
                        + Self.suggestion(org.profile, known))
            }
        }
    }

    // MARK: Targets

    mutating func targets(_ node: Node, _ path: String, orgs: [JobOrg]) -> TargetSpec? {
        guard let map = mapping(node, path, allowed: ["accounts", "ous", "exclude", "managementAccount"]) else { return nil }
        var spec = TargetSpec()
        if let accounts = map[named: "accounts"] {
            if accounts.string == "all" {
                spec.accounts = .all
            } else if accounts.sequence != nil {
                spec.accounts = .list(accountList(accounts, "\(path).accounts", orgs: orgs))
            } else {
                report(accounts, "\(path).accounts", "expected 'all' or a list of 12-digit account ids")
            }
        }
        if let ous = map[named: "ous"] { spec.ous = ouList(ous, "\(path).ous", orgs: orgs) }
        if let exclude = map[named: "exclude"], let excludeMap = mapping(exclude, "\(path).exclude", allowed: ["accounts", "ous"]) {
            if let accounts = excludeMap[named: "accounts"] {
                spec.excludeAccounts = accountList(accounts, "\(path).exclude.accounts", orgs: orgs)
            }
            if let ous = excludeMap[named: "ous"] { spec.excludeOUs = ouList(ous, "\(path).exclude.ous", orgs: orgs) }
        }
        if let management = map[named: "managementAccount"] {
            spec.managementAccount = bool(management, "\(path).managementAccount")
        }
        return spec
    }

    /// Account ids, each checked (per org when it refers to `${vars}`).
    mutating func accountList(_ node: Node, _ path: String, orgs: [JobOrg]) -> [String] {
        guard let list = sequence(node, path, nonEmpty: false) else { return [] }
        var ids: [String] = []
        for (index, item) in list.enumerated() {
            guard let id = scalarString(item, "\(path)[\(index)]") else { continue }
            checkValue(id, item, "\(path)[\(index)]", orgs: orgs, ContactRules.checkAccountID)
            ids.append(id)
        }
        return ids
    }

    /// OU references; any `${vars}` they use must exist in every org.
    mutating func ouList(_ node: Node, _ path: String, orgs: [JobOrg]) -> [String] {
        guard let list = sequence(node, path, nonEmpty: false) else { return [] }
        var references: [String] = []
        for (index, item) in list.enumerated() {
            guard let reference = scalarString(item, "\(path)[\(index)]") else { continue }
            checkValue(reference, item, "\(path)[\(index)]", orgs: orgs) { $0.isEmpty ? "must not be empty" : nil }
            references.append(reference)
        }
        return references
    }

    // MARK: Actions

    mutating func action(_ node: Node, _ path: String, step: Int, orgs: [JobOrg]) -> JobAction? {
        guard let map = node.mapping, map.count == 1, let (keyNode, body) = map.first, let name = keyNode.string else {
            report(node, path, "each action is a mapping with one key: \(JobLoader.actionNames.joined(separator: ", "))")
            return nil
        }
        guard JobLoader.actionNames.contains(name) else {
            report(keyNode, path, "unknown action '\(name)'; allowed: \(JobLoader.actionNames.joined(separator: ", "))"
                + Self.suggestion(name, JobLoader.actionNames))
            return nil
        }
        let actionPath = "\(path).\(name)"
        let line = keyNode.mark?.line ?? 0
        // `- audit:`, `- audit: ~` and JSON `{"audit": null}`: an empty body.
        let emptyBody = body.scalar.map { $0.string.isEmpty || Self.isNull($0) } ?? false
        switch name {
        case "trustedAccess":
            guard let fields = mapping(body, actionPath, allowed: ["servicePrincipal", "state"]) else { return nil }
            let principal = servicePrincipal(fields, actionPath, body, orgs: orgs)
            let enabled = choice(fields[named: "state"], "\(actionPath).state", ["enabled": true, "disabled": false], default: true)
            guard let principal, let enabled else { return nil }
            return JobAction(kind: .trustedAccess(servicePrincipal: principal, enabled: enabled), step: step, line: line)

        case "delegatedAdmin":
            guard let fields = mapping(body, actionPath, allowed: ["servicePrincipal", "account", "state"]) else { return nil }
            let principal = servicePrincipal(fields, actionPath, body, orgs: orgs)
            let account = requiredString(fields, "account", actionPath, body)
            if let account {
                checkValue(account, fields[named: "account"], "\(actionPath).account", orgs: orgs, ContactRules.checkAccountID)
            }
            let registered = choice(
                fields[named: "state"], "\(actionPath).state", ["registered": true, "deregistered": false], default: true)
            guard let principal, let account, let registered else { return nil }
            return JobAction(
                kind: .delegatedAdmin(servicePrincipal: principal, account: account, registered: registered), step: step,
                line: line)

        case "alternateContact":
            let allowed = ["type", "state", "name", "title", "email", "phone", "targets"]
            guard let fields = mapping(body, actionPath, allowed: allowed) else { return nil }
            var type: AlternateContactType?
            if let typeNode = fields[named: "type"] {
                let text = scalarString(typeNode, "\(actionPath).type")
                type = text.flatMap(AlternateContactType.init(rawValue:))
                if let text, type == nil {
                    report(typeNode, "\(actionPath).type", "'\(text)' is not a contact type; allowed: BILLING, OPERATIONS, SECURITY"
                        + Self.suggestion(text.uppercased(), AlternateContactType.allCases.map(\.rawValue)))
                }
            } else {
                report(body, "\(actionPath).type", "missing; allowed: BILLING, OPERATIONS, SECURITY")
            }
            let present = choice(fields[named: "state"], "\(actionPath).state", ["present": true, "absent": false], default: true)
            let valueRules: [(String, (String) -> String?)] = [
                ("name", ContactRules.checkName), ("title", ContactRules.checkTitle),
                ("email", ContactRules.checkEmail), ("phone", ContactRules.checkPhone),
            ]
            var values: [String: String] = [:]
            for (key, rule) in valueRules {
                if present == false {
                    if let extra = fields[named: key] {
                        report(extra, "\(actionPath).\(key)", "not allowed with state: absent")
                    }
                    continue
                }
                guard let text = requiredString(fields, key, actionPath, body) else { continue }
                checkValue(text, fields[named: key], "\(actionPath).\(key)", orgs: orgs, rule)
                values[key] = text
            }
            let targets = fields[named: "targets"].flatMap { self.targets($0, "\(actionPath).targets", orgs: orgs) }
            guard let type, let present else { return nil }
            var contact: ContactValues?
            if present {
                guard let name = values["name"], let title = values["title"], let email = values["email"],
                    let phone = values["phone"]
                else { return nil }
                contact = ContactValues(name: name, title: title, email: email, phone: phone)
            }
            return JobAction(kind: .alternateContact(type: type, contact: contact), targets: targets, step: step, line: line)

        default:  // audit
            var targets: TargetSpec?
            if !emptyBody, let fields = mapping(body, actionPath, allowed: ["targets"]) {
                targets = fields[named: "targets"].flatMap { self.targets($0, "\(actionPath).targets", orgs: orgs) }
            }
            return JobAction(kind: .audit, targets: targets, step: step, line: line)
        }
    }

    mutating func servicePrincipal(_ fields: Node.Mapping, _ path: String, _ body: Node, orgs: [JobOrg]) -> String? {
        guard let principal = requiredString(fields, "servicePrincipal", path, body) else { return nil }
        checkValue(principal, fields[named: "servicePrincipal"], "\(path).servicePrincipal", orgs: orgs, ContactRules.checkServicePrincipal)
        return principal
    }

    /// Checks a value, or, when it refers to `${vars}`, its value in every org.
    mutating func checkValue(
        _ text: String, _ node: Node?, _ path: String, orgs: [JobOrg], _ rule: (String) -> String?
    ) {
        if Template.references(in: text).isEmpty {
            if let problem = rule(text) { report(node, path, "'\(text)' \(problem)") }
            return
        }
        for org in orgs {
            do {
                let value = try Template.expand(text, org.vars)
                if let problem = rule(value) {
                    report(node, path, "in org '\(org.name)', '\(text)' is '\(value)', which \(problem)")
                }
            } catch {
                report(node, path, "org '\(org.name)' has no var '\(error.name)' (define it under orgs[].vars)")
            }
        }
    }

    // MARK: Node helpers

    mutating func mapping(_ node: Node, _ path: String, allowed: [String]?) -> Node.Mapping? {
        guard let map = node.mapping else {
            report(node, path, "expected a mapping (key: value)" + (allowed.map { "; keys allowed: \($0.joined(separator: ", "))" } ?? ""))
            return nil
        }
        if let allowed {
            for key in map.keys {
                guard let name = key.string else {
                    report(key, path, "keys must be strings")
                    continue
                }
                if !allowed.contains(name) {
                    report(
                        key, path.isEmpty ? name : "\(path).\(name)",
                        "unknown key '\(name)'; allowed: \(allowed.joined(separator: ", "))" + Self.suggestion(name, allowed))
                }
            }
        }
        return map
    }

    mutating func sequence(_ node: Node, _ path: String, nonEmpty: Bool) -> Node.Sequence? {
        guard let list = node.sequence else {
            report(node, path, "expected a list")
            return nil
        }
        if nonEmpty && list.isEmpty { report(node, path, "must not be empty") }
        return list
    }

    /// YAML's null (`~`, `null`, nothing), unquoted: what the YAML 1.2 core schema reads as null.
    static func isNull(_ scalar: Node.Scalar) -> Bool {
        scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    mutating func scalarString(_ node: Node, _ path: String) -> String? {
        guard let scalar = node.scalar else {
            report(node, path, "expected a single value, not a \(node.mapping != nil ? "mapping" : "list")")
            return nil
        }
        return scalar.string
    }

    mutating func requiredString(_ map: Node.Mapping, _ key: String, _ path: String, _ parent: Node) -> String? {
        guard let node = map[named: key] else {
            report(parent, "\(path).\(key)", "missing")
            return nil
        }
        return scalarString(node, "\(path).\(key)")
    }

    mutating func stringList(_ node: Node, _ path: String) -> [String] {
        guard let list = sequence(node, path, nonEmpty: false) else { return [] }
        return list.enumerated().compactMap { scalarString($1, "\(path)[\($0)]") }
    }

    mutating func bool(_ node: Node, _ path: String) -> Bool? {
        switch node.string?.lowercased() {
        case "true": return true
        case "false": return false
        default:
            report(node, path, "expected true or false")
            return nil
        }
    }

    mutating func choice(_ node: Node?, _ path: String, _ options: KeyValuePairs<String, Bool>, default fallback: Bool) -> Bool? {
        guard let node else { return fallback }
        guard let text = scalarString(node, path) else { return nil }
        if let match = options.first(where: { $0.key == text }) { return match.value }
        let names = options.map(\.key)
        report(node, path, "'\(text)' is not allowed; allowed: \(names.joined(separator: ", "))" + Self.suggestion(text, names))
        return nil
    }

    /// `; did you mean 'x'?` when one allowed word is close.
    static func suggestion(_ word: String, _ candidates: [String]) -> String {
        let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }.min { $0.1 < $1.1 }
        guard let (best, distance) = scored, distance <= max(2, word.count / 3) else { return "" }
        return "; did you mean '\(best)'?"
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

extension Node.Mapping {
    /// The value of the first key whose text is `name`. (Named apart from Yams's own
    /// `subscript(string:)`, which also compares tags and takes the last match.)
    fileprivate subscript(named name: String) -> Node? {
        first { $0.key.string == name }?.value
    }
}
