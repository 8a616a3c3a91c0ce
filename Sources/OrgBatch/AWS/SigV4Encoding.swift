import SigV4

/// Percent-encoding as AWS wants it everywhere (RFC 3986 unreserved characters kept).
enum SigV4Encoding {
    static func percentEncode(_ text: String) -> String {
        SigV4Signer.uriEncode(text, keepSlash: false)
    }
}
