import Testing

@testable import OrgBatch

/// The Account API's limits: `EmailAddress` `[\s]*[\w+=.#|!&-]+@[\w.-]+\.[\w]+[\s]*` (1..254),
/// `PhoneNumber` `[\s0-9()+-]+` (1..25), `Name` 1..64, `Title` 1..50.
@Suite("ContactRules: alternate-contact limits checked before any request")
struct ContactRulesTests {
    static let notEmail = "is not an email address the Account API accepts (local@domain.tld)"
    static let notPhone = "may contain only digits, spaces and + - ( )"
    static let notAccount = "is not a 12-digit account id"
    static let notPrincipal = "is not a service principal (for example account.amazonaws.com)"

    // MARK: Email

    @Test(arguments: [
        "a@b.co",
        "security-prod@example.com",
        "first.last+tag@mail.example.org",
        "x=y#z|w!v&u-t@sub-domain.example.org",
        "under_score@host_name.t_ld",
        "1@2.3",
        "a@b..c.d",  // dots may repeat in the domain part of the pattern
        "a@-.x",
        " padded@example.com ",  // surrounding \s is allowed by the pattern
        "\tuser@example.com\n",
        String(repeating: "a", count: 254 - "@example.com".count) + "@example.com",
    ])
    func acceptedEmail(_ value: String) {
        #expect(ContactRules.checkEmail(value) == nil)
    }

    @Test(arguments: [
        ("", "must not be empty"),
        ("   ", notEmail),
        ("plain", notEmail),
        ("a@b", notEmail),  // no dot in the domain
        ("@example.com", notEmail),
        ("a@.com", notEmail),
        ("a@example.", notEmail),
        ("a@example.c-m", notEmail),  // the last label is \w+ only
        ("a@@example.com", notEmail),
        ("a@b@example.com", notEmail),
        ("a b@example.com", notEmail),  // spaces only around the address
        ("a(b)@example.com", notEmail),
        ("josé@example.com", notEmail),  // \w is ASCII
        ("a@exämple.com", notEmail),
        ("a@example.com;b@example.com", notEmail),
        (String(repeating: "a", count: 255 - "@example.com".count) + "@example.com",
         "is 255 characters long; at most 254 are allowed"),
    ])
    func rejectedEmail(value: String, message: String) {
        #expect(ContactRules.checkEmail(value) == message)
    }

    // MARK: Phone

    @Test(arguments: [
        "+1 206 555 0100",
        "(206) 555-0100",
        "0",
        " ",
        "+44 (0)20-7946-0958",
        String(repeating: "9", count: 25),
    ])
    func acceptedPhone(_ value: String) {
        #expect(ContactRules.checkPhone(value) == nil)
    }

    @Test(arguments: [
        ("", "must not be empty"),
        ("+1 206 555 0100 ext 5", notPhone),
        ("+1.206.555.0100", notPhone),
        ("555/0100", notPhone),
        ("١٢٣", notPhone),  // digits, but not ASCII 0-9
        (String(repeating: "9", count: 26), "is 26 characters long; at most 25 are allowed"),
    ])
    func rejectedPhone(value: String, message: String) {
        #expect(ContactRules.checkPhone(value) == message)
    }

    /// The API's pattern is `[\s0-9()+-]+`: `\s` is any whitespace, not only the space.
    @Test
    func phoneAcceptsAnyWhitespaceAsTheAPIDoes() {
        #expect(ContactRules.checkPhone("+1\t206 555 0100") == nil)
    }

    // MARK: Name and title

    @Test(arguments: [
        ("N", nil),
        ("Security Operations", nil),
        ("José Müller-Ørsted", nil),
        (String(repeating: "n", count: 64), nil),
        ("", "must not be empty"),
        (String(repeating: "n", count: 65), "is 65 characters long; at most 64 are allowed"),
    ] as [(String, String?)])
    func name(value: String, problem: String?) {
        #expect(ContactRules.checkName(value) == problem)
    }

    @Test(arguments: [
        ("T", nil),
        ("Security Team", nil),
        (String(repeating: "t", count: 50), nil),
        ("", "must not be empty"),
        (String(repeating: "t", count: 51), "is 51 characters long; at most 50 are allowed"),
    ] as [(String, String?)])
    func title(value: String, problem: String?) {
        #expect(ContactRules.checkTitle(value) == problem)
    }

    // MARK: Account ids and service principals

    @Test(arguments: [
        ("111111111111", nil),
        ("012345678901", nil),
        ("", notAccount),
        ("11111111111", notAccount),
        ("1111111111111", notAccount),
        ("11111111111a", notAccount),
        (" 11111111111", notAccount),
        ("١١١١١١١١١١١١", notAccount),
    ] as [(String, String?)])
    func accountID(value: String, problem: String?) {
        #expect(ContactRules.checkAccountID(value) == problem)
    }

    @Test(arguments: [
        ("account.amazonaws.com", nil),
        ("sso.amazonaws.com", nil),
        ("a+b=c,d.e@f-g_h", nil),
        (String(repeating: "s", count: 128), nil),
        ("", "must not be empty"),
        ("account amazonaws com", notPrincipal),
        ("account.amazonaws.com/", notPrincipal),
        (String(repeating: "s", count: 129), "is 129 characters long; at most 128 are allowed"),
    ] as [(String, String?)])
    func servicePrincipal(value: String, problem: String?) {
        #expect(ContactRules.checkServicePrincipal(value) == problem)
    }
}
