import Testing

@testable import OrgBatch

@Suite("Redactor: --redact hashes names, emails and phones")
struct RedactorTests {
    static func contact(_ name: String, _ title: String, _ email: String, _ phone: String) -> JSONValue {
        .object([("name", .string(name)), ("title", .string(title)), ("email", .string(email)), ("phone", .string(phone))])
    }

    @Test(arguments: [
        ("", "sha256:e3b0c44298fc1c14"),
        ("1", "sha256:6b86b273ff34fce1"),
        ("sec@example.com", "sha256:690cb140a46f2260"),
        ("Security Operations", "sha256:1dcbde564356f0e6"),
        ("+1 206 555 0100", "sha256:4dd5953802ec75cd"),
    ])
    func hashIsSHA256Prefix(text: String, expected: String) {
        #expect(Redactor.hash(text) == expected)
        #expect(Redactor.hash(text) == Redactor.hash(text))
    }

    @Test func hashesDifferForDifferentValues() {
        #expect(Redactor.hash("a@example.com") != Redactor.hash("b@example.com"))
        #expect(Redactor.hash("Sec") != Redactor.hash("sec"))
    }

    @Test func contactValuesAreHashedTitleIsNot() {
        let redacted = Redactor().redact(Self.contact("Security Operations", "Security Team", "sec@example.com", "+1 206 555 0100"))
        #expect(
            redacted
                == .object([
                    ("name", .string("sha256:1dcbde564356f0e6")), ("title", .string("Security Team")),
                    ("email", .string("sha256:690cb140a46f2260")), ("phone", .string("sha256:4dd5953802ec75cd")),
                ]))
        #expect(
            redacted.text
                == #"{"name":"sha256:1dcbde564356f0e6","title":"Security Team","email":"sha256:690cb140a46f2260","phone":"sha256:4dd5953802ec75cd"}"#)
    }

    /// An audit line's `before`/`after`: one object per contact type, `null` when unset.
    @Test func nestedAuditObjects() {
        let audit = JSONValue.object([
            ("BILLING", Self.contact("1", "CFO", "", "1")),
            ("OPERATIONS", .null),
            ("SECURITY", Self.contact("Security Operations", "Security Team", "sec@example.com", "+1 206 555 0100")),
        ])
        #expect(
            Redactor().redact(audit)
                == .object([
                    ("BILLING", .object([
                        ("name", .string("sha256:6b86b273ff34fce1")), ("title", .string("CFO")),
                        ("email", .string("sha256:e3b0c44298fc1c14")), ("phone", .string("sha256:6b86b273ff34fce1")),
                    ])),
                    ("OPERATIONS", .null),
                    ("SECURITY", .object([
                        ("name", .string("sha256:1dcbde564356f0e6")), ("title", .string("Security Team")),
                        ("email", .string("sha256:690cb140a46f2260")), ("phone", .string("sha256:4dd5953802ec75cd")),
                    ])),
                ]))
    }

    @Test func arraysAndNonStringValues() {
        let value = JSONValue.array([
            .object([("email", .string("sec@example.com")), ("account", .string("111111111111"))]),
            .object([("name", .null), ("phone", .int(1)), ("email", .object([("name", .string("1"))]))]),
            .string("sec@example.com"),
        ])
        #expect(
            Redactor().redact(value)
                == .array([
                    .object([("email", .string("sha256:690cb140a46f2260")), ("account", .string("111111111111"))]),
                    .object([("name", .null), ("phone", .int(1)), ("email", .object([("name", .string("sha256:6b86b273ff34fce1"))]))]),
                    .string("sec@example.com"),
                ]))
    }

    @Test func otherKeysAndScalarsAreUntouched() {
        let value = JSONValue.object([
            ("Name", .string("x")), ("emailAddress", .string("a@b.co")), ("registered", .bool(true)),
            ("trustedAccess", .array([.string("account.amazonaws.com")])),
        ])
        #expect(Redactor().redact(value) == value)
        #expect(Redactor().redact(.null) == .null)
        #expect(Redactor().redact(.string("a@b.co")) == .string("a@b.co"))
        #expect(Redactor.redactedKeys == ["name", "email", "phone"])
    }

    @Test(arguments: [("7", 2, "07"), ("ab", 2, "ab"), ("abc", 2, "abc"), ("", 3, "000")])
    func leftPadded(text: String, width: Int, expected: String) {
        #expect(text.leftPadded(width) == expected)
    }
}
