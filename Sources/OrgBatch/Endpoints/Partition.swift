/// An AWS partition: which regions belong to it and how its hosts are named.
///
/// From botocore's `data/partitions.json`: partitions are tried in this order and the first
/// whose region pattern matches wins; a region that matches none belongs to `aws`.
public struct Partition: Sendable, Equatable {
    public var id: String
    public var dnsSuffix: String
    /// The region global services (Organizations, Account) live in and are signed for.
    public var globalRegion: String
    /// The region's dash-separated words before the `\w+-\d+` tail, or nil for `aws`'s
    /// first-word list.
    let prefix: [String]?

    public static let all: [Partition] = [
        Partition(id: "aws", dnsSuffix: "amazonaws.com", globalRegion: "us-east-1", prefix: nil),
        Partition(id: "aws-cn", dnsSuffix: "amazonaws.com.cn", globalRegion: "cn-northwest-1", prefix: ["cn"]),
        Partition(id: "aws-eusc", dnsSuffix: "amazonaws.eu", globalRegion: "eusc-de-east-1", prefix: ["eusc", "de"]),
        Partition(id: "aws-iso", dnsSuffix: "c2s.ic.gov", globalRegion: "us-iso-east-1", prefix: ["us", "iso"]),
        Partition(id: "aws-iso-b", dnsSuffix: "sc2s.sgov.gov", globalRegion: "us-isob-east-1", prefix: ["us", "isob"]),
        Partition(id: "aws-iso-e", dnsSuffix: "cloud.adc-e.uk", globalRegion: "eu-isoe-west-1", prefix: ["eu", "isoe"]),
        Partition(id: "aws-iso-f", dnsSuffix: "csp.hci.ic.gov", globalRegion: "us-isof-south-1", prefix: ["us", "isof"]),
        Partition(id: "aws-us-gov", dnsSuffix: "amazonaws.com", globalRegion: "us-gov-west-1", prefix: ["us", "gov"]),
    ]

    static let awsFirstWords: Set<Substring> = ["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"]

    /// The partition of `region` (`aws` when nothing matches, as in botocore).
    public static func of(region: String) -> Partition {
        let words = region.split(separator: "-", omittingEmptySubsequences: false)
        for partition in all where partition.matches(words) { return partition }
        return all[0]
    }

    /// `^(us|eu|…)\-\w+\-\d+$` for aws, `^cn\-\w+\-\d+$`, `^us\-gov\-\w+\-\d+$` and so on.
    private func matches(_ words: [Substring]) -> Bool {
        let fixed = prefix ?? []
        guard words.count == fixed.count + (prefix == nil ? 3 : 2) else { return false }
        if let prefix {
            guard Array(words.prefix(prefix.count)) == prefix.map({ Substring($0) }) else { return false }
        } else {
            guard Self.awsFirstWords.contains(words[0]) else { return false }
        }
        let middle = words[words.count - 2]
        let last = words[words.count - 1]
        return !middle.isEmpty && middle.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            && !last.isEmpty && last.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
