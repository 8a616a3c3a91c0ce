import Foundation

/// What a command needs from the process around it, passed in so tests can supply their own.
public struct CommandIO: Sendable {
    public var environment: [String: String]
    public var transportFactory: any TransportFactory
    /// Messages for people (summary, progress, errors): standard error.
    public var diagnostics: @Sendable (String) -> Void
    public var stdinIsTerminal: Bool
    public var stderrIsTerminal: Bool
    /// Asks a yes/no question on the terminal; nil when there is no one to ask.
    public var confirm: (@Sendable (String) -> Bool)?
    /// Called with the runner as soon as it exists, so the caller can cancel it on a signal.
    public var onRunner: @Sendable (JobRunner) -> Void
    public var clock: any WallClock
    /// Where the run's threads may run (`--cpus`).
    public var threadAffinity: any ThreadAffinity

    public init(
        environment: [String: String], transportFactory: any TransportFactory,
        diagnostics: @escaping @Sendable (String) -> Void, stdinIsTerminal: Bool = false, stderrIsTerminal: Bool = false,
        confirm: (@Sendable (String) -> Bool)? = nil, onRunner: @escaping @Sendable (JobRunner) -> Void = { _ in },
        clock: any WallClock = SystemClock(), threadAffinity: any ThreadAffinity = SystemThreadAffinity()
    ) {
        self.environment = environment
        self.transportFactory = transportFactory
        self.diagnostics = diagnostics
        self.stdinIsTerminal = stdinIsTerminal
        self.stderrIsTerminal = stderrIsTerminal
        self.confirm = confirm
        self.onRunner = onRunner
        self.clock = clock
        self.threadAffinity = threadAffinity
    }
}
