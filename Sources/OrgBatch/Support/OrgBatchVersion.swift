/// The version of orgbatch, shown by `--version` and sent in `User-Agent`.
public enum OrgBatchVersion {
    public static let current = "0.1.0"
    public static let userAgent = "orgbatch/\(current)"
}
