import Testing

@testable import OrgBatch

@Suite("Template: ${var} references to an org's vars")
struct TemplateTests {
    static let vars = ["admin": "111111111111", "env": "prod", "empty": "", "nested": "${env}"]

    @Test(arguments: [
        ("plain text", "plain text"),
        ("", ""),
        ("${admin}", "111111111111"),
        ("a-${env}-b", "a-prod-b"),
        ("${env}${env}", "prodprod"),
        ("x${empty}y", "xy"),
        ("$env {env} $ {", "$env {env} $ {"),
        // An unterminated reference is kept as written.
        ("no close ${env", "no close ${env"),
        ("${env} then ${env", "prod then ${env"),
        // A value is inserted as is, never expanded again.
        ("${nested}", "${env}"),
    ])
    func expands(text: String, expected: String) throws {
        #expect(try Template.expand(text, Self.vars) == expected)
    }

    @Test(arguments: [
        ("${missing}", "missing"),
        ("ok ${env} then ${gone} and ${alsoGone}", "gone"),
        ("${}", ""),
        ("${Env}", "Env"),  // names are case-sensitive
    ])
    func missingVariableIsNamed(text: String, name: String) {
        #expect(throws: Template.MissingVariable(name: name)) { try Template.expand(text, Self.vars) }
    }

    @Test func expandAllKeepsOrder() throws {
        #expect(try Template.expandAll(["${env}", "x", "${admin}-${env}"], Self.vars) == ["prod", "x", "111111111111-prod"])
        #expect(try Template.expandAll([], Self.vars) == [])
        #expect(throws: Template.MissingVariable(name: "nope")) { try Template.expandAll(["${env}", "${nope}"], Self.vars) }
    }

    @Test(arguments: [
        ("no references", [String]()),
        ("${a}", ["a"]),
        ("${a}-${b}/${a}", ["a", "b", "a"]),
        ("${a", []),
        ("x ${a} ${b", ["a"]),
        ("${}", [""]),
        ("$a {b}", []),
    ])
    func references(text: String, names: [String]) {
        #expect(Template.references(in: text) == names)
    }
}
