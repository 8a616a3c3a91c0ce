/// `GetCallerIdentity`'s answer.
public struct CallerIdentity: Sendable, Equatable {
    public var account: String
    public var arn: String
    public var userId: String
}

/// `AssumeRole`'s answer: the temporary credentials and who they belong to.
public struct AssumedRole: Sendable {
    public var credentials: AWSCredentials
    public var assumedRoleARN: String
    public var assumedRoleId: String
}
