import Testing

@testable import OrgBatch

@Suite("Shared config file parsing (botocore's reading)")
struct ConfigFileTests {
    func parse(_ text: String) throws -> ConfigFile {
        try ConfigFile.parse(text, path: "/home/u/.aws/config")
    }

    @Test func sectionsKeysAndComments() throws {
        let file = try parse(
            """
            # a comment
            ; another
              [default]
            region = eu-west-1
            Output: json

            [profile dev]
            role_arn=arn:aws:iam::111111111111:role/Admin
                # indented comment
            source_profile = default
            """)
        #expect(file.sections.map(\.name) == ["default", "profile dev"])
        #expect(file.section(named: "default")?.entries["region"]?.value == "eu-west-1")
        #expect(file.section(named: "default")?.entries["output"]?.value == "json")  // ':' separates, keys lower-cased
        #expect(file.section(named: "profile dev")?.entries["source_profile"]?.value == "default")
        #expect(file.section(named: "profile dev")?.entries["role_arn"]?.line == 8)
    }

    @Test func noInlineComments() throws {
        let file = try parse("[default]\nregion = us-west-2 # prod\nother = a ; b\n")
        #expect(file.sections[0].entries["region"]?.value == "us-west-2 # prod")
        #expect(file.sections[0].entries["other"]?.value == "a ; b")
    }

    @Test func continuationLinesAndNestedBlocks() throws {
        let file = try parse(
            """
            [default]
            output = json
              more
            s3 =
              max_concurrent_requests = 20
              Addressing_Style = path
            region = us-east-1
            """)
        let entries = file.sections[0].entries
        #expect(entries["output"]?.value == "json\nmore")
        #expect(entries["output"]?.nested == [:])
        #expect(entries["s3"]?.nested == ["max_concurrent_requests": "20", "Addressing_Style": "path"])
        #expect(entries["region"]?.value == "us-east-1")
    }

    @Test func windowsLineEnds() throws {
        let file = try parse("[default]\r\nregion = us-east-1\r\n")
        #expect(file.sections[0].entries["region"]?.value == "us-east-1")
    }

    @Test("errors name the file and line", arguments: [
        ("[default]\nregion = a\n[default]\n", ":3: section [default] already appears on line 1"),
        ("[default]\nregion = a\nregion = b\n", ":3: 'region' already set on line 2"),
        ("region = a\n", ":1: a setting before the first [section] header"),
        ("[default]\njust words\n", ":2: expected 'key = value'"),
        ("[default\n", ":1: a section header must look like [name]"),
        ("[default]\ns3 =\n  no equals sign\n", ":2: nested setting 'no equals sign'"),
    ])
    func errors(text: String, expected: String) {
        #expect {
            try parse(text)
        } throws: { error in
            let error = error as! ConfigError
            return error.code == .parse && error.message.contains("/home/u/.aws/config" + expected)
        }
    }
}
