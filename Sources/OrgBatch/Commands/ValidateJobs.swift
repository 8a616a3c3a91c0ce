/// `orgbatch validate JOB...`: every offline check, no network.
public enum ValidateJobs {
    /// - Returns: the exit code; problems go to `io.diagnostics`, one per line.
    public static func run(paths: [String], io: CommandIO) -> Int32 {
        let config: SharedConfig?
        do {
            config = try SharedConfig.load(environment: io.environment)
        } catch {
            io.diagnostics("orgbatch: \(error.description)")
            return OrgBatchExit.usage
        }
        var failed = false
        for path in paths {
            do {
                let job = try JobLoader(sharedConfig: config).load(path: path)
                io.diagnostics("\(path): ok (\(job.orgs.count) orgs, \(job.actions.count) actions)")
            } catch {
                io.diagnostics(error.description)
                failed = true
            }
        }
        return failed ? OrgBatchExit.usage : OrgBatchExit.success
    }
}
