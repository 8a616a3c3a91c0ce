// Shapes of AWS Account Management (API version 2021-02-01), as botocore's service model
// `botocore/data/account/2021-02-01/service-2.json` defines them.

/// `BILLING`, `OPERATIONS` or `SECURITY`.
public enum AlternateContactType: String, Codable, Sendable, CaseIterable {
    case billing = "BILLING"
    case operations = "OPERATIONS"
    case security = "SECURITY"
}

/// An alternate contact. All four values are required by `PutAlternateContact`.
public struct AlternateContact: Codable, Sendable, Equatable {
    public var alternateContactType: AlternateContactType?
    public var emailAddress: String?
    public var name: String?
    public var phoneNumber: String?
    public var title: String?

    public init(
        type: AlternateContactType?, emailAddress: String?, name: String?, phoneNumber: String?, title: String?
    ) {
        alternateContactType = type
        self.emailAddress = emailAddress
        self.name = name
        self.phoneNumber = phoneNumber
        self.title = title
    }

    /// Whether the four values (not the type) are the same.
    public func sameValues(as other: AlternateContact) -> Bool {
        emailAddress == other.emailAddress && name == other.name && phoneNumber == other.phoneNumber
            && title == other.title
    }
}

/// The primary contact of an account.
public struct ContactInformation: Codable, Sendable, Equatable {
    public var addressLine1: String
    public var addressLine2: String?
    public var addressLine3: String?
    public var city: String
    public var companyName: String?
    public var countryCode: String
    public var districtOrCounty: String?
    public var fullName: String
    public var phoneNumber: String
    public var postalCode: String
    public var stateOrRegion: String?
    public var websiteUrl: String?

    public init(
        addressLine1: String, addressLine2: String? = nil, addressLine3: String? = nil, city: String,
        companyName: String? = nil, countryCode: String, districtOrCounty: String? = nil, fullName: String,
        phoneNumber: String, postalCode: String, stateOrRegion: String? = nil, websiteUrl: String? = nil
    ) {
        self.addressLine1 = addressLine1
        self.addressLine2 = addressLine2
        self.addressLine3 = addressLine3
        self.city = city
        self.companyName = companyName
        self.countryCode = countryCode
        self.districtOrCounty = districtOrCounty
        self.fullName = fullName
        self.phoneNumber = phoneNumber
        self.postalCode = postalCode
        self.stateOrRegion = stateOrRegion
        self.websiteUrl = websiteUrl
    }
}
