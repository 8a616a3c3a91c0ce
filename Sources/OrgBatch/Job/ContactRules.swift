/// The Account Management API's own limits on alternate-contact values
/// (botocore `data/account/2021-02-01/service-2.json`), checked before any request.
public enum ContactRules {
    /// `Name`: 1 to 64 characters.
    public static func checkName(_ value: String) -> String? {
        length(value, 1, 64)
    }

    /// `Title`: 1 to 50 characters.
    public static func checkTitle(_ value: String) -> String? {
        length(value, 1, 50)
    }

    /// `EmailAddress`: 1 to 254 characters matching `[\s]*[\w+=.#|!&-]+@[\w.-]+\.[\w]+[\s]*`.
    public static func checkEmail(_ value: String) -> String? {
        if let problem = length(value, 1, 254) { return problem }
        let core = value.trimmingSpaces()
        let parts = core.split(separator: "@", omittingEmptySubsequences: false)
        let localAllowed: (Character) -> Bool = { isWord($0) || "+=.#|!&-".contains($0) }
        guard parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy(localAllowed),
            let lastDot = parts[1].lastIndex(of: "."),
            !parts[1][..<lastDot].isEmpty, parts[1][..<lastDot].allSatisfy({ isWord($0) || $0 == "." || $0 == "-" }),
            !parts[1][parts[1].index(after: lastDot)...].isEmpty,
            parts[1][parts[1].index(after: lastDot)...].allSatisfy(isWord)
        else {
            return "is not an email address the Account API accepts (local@domain.tld)"
        }
        return nil
    }

    /// `PhoneNumber`: 1 to 25 characters of `[\s0-9()+-]`.
    public static func checkPhone(_ value: String) -> String? {
        if let problem = length(value, 1, 25) { return problem }
        guard value.unicodeScalars.allSatisfy({ isJavaWhitespace($0) || ("0"..."9").contains($0) || "+-()".unicodeScalars.contains($0) }) else {
            return "may contain only digits, spaces and + - ( )"
        }
        return nil
    }

    /// A 12-digit account id.
    public static func checkAccountID(_ value: String) -> String? {
        value.count == 12 && value.allSatisfy({ $0.isASCII && $0.isNumber }) ? nil : "is not a 12-digit account id"
    }

    /// A service principal: 1 to 128 of `[\w+=,.@-]`.
    public static func checkServicePrincipal(_ value: String) -> String? {
        if let problem = length(value, 1, 128) { return problem }
        return value.allSatisfy({ isWord($0) || "+=,.@-".contains($0) })
            ? nil : "is not a service principal (for example account.amazonaws.com)"
    }

    /// `\w` as the API's (Java) patterns mean it: ASCII letters, digits and `_`.
    static func isWord(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_")
    }

    /// `\s` of the API's (Java) patterns: space, tab, line feed, vertical tab, form feed, return.
    static func isJavaWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        [" ", "\t", "\n", "\u{0B}", "\u{0C}", "\r"].contains(scalar)
    }

    /// Lengths as the API counts them: UTF-16 code units (Java's `String.length()`).
    static func length(_ value: String, _ minimum: Int, _ maximum: Int) -> String? {
        let count = value.utf16.count
        if count < minimum { return "must not be empty" }
        if count > maximum { return "is \(count) characters long; at most \(maximum) are allowed" }
        return nil
    }
}
