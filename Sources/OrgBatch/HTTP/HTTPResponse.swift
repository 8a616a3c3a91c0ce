/// What came back: status, headers (names lower-cased, in order) and body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.init(status: status, lowercasedHeaders: headers.map { (Self.lowercasedName($0.name), $0.value) }, body: body)
    }

    /// For a transport whose header names are lower-cased already (libcurl's handle lower-cases
    /// them as they arrive): taken as they are, with no copy of the list per response.
    package init(status: Int, lowercasedHeaders headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header of that name, compared without case.
    public func header(_ name: String) -> String? {
        let wanted = Self.lowercasedName(name)
        return headers.first { $0.name == wanted }?.value
    }

    /// Header names are ASCII tokens, usually lower-case already (libcurl's are lower-cased
    /// as they arrive): only a name with an upper-case or non-ASCII byte is converted.
    static func lowercasedName(_ name: String) -> String {
        name.utf8.contains { $0 >= 0x80 || ($0 >= 0x41 && $0 <= 0x5A) } ? name.lowercased() : name
    }
}
