import Foundation
import OrgBatch
import OrgBatchCurl

/// The real process around a command: environment, libcurl, standard error, signals.
enum ProcessIO {
    static func make() -> CommandIO {
        let environment = ProcessInfo.processInfo.environment
        return CommandIO(
            environment: environment, transportFactory: CurlTransportFactory(proxies: ProxySettings(environment: environment)),
            diagnostics: { text in
                let line = text.hasPrefix("\r") ? text : text + "\n"
                FileHandle.standardError.write(Data(line.utf8))
            },
            stdinIsTerminal: isatty(STDIN_FILENO) == 1, stderrIsTerminal: isatty(STDERR_FILENO) == 1,
            confirm: { question in
                FileHandle.standardError.write(Data(question.utf8))
                let answer = readLine() ?? ""
                return ["y", "yes"].contains(answer.lowercased())
            },
            onRunner: { runner in Interrupts.watch(runner) })
    }
}

/// SIGINT and SIGTERM: the first stops the run (unfinished tasks are reported `cancelled`),
/// a second exits at once.
///
/// A signal between two runs of one command (the `--max-changes` plan, then the run) is
/// kept and cancels the next runner as soon as it exists.
enum Interrupts {
    // nonisolated(unsafe): touched only on `queue`, a serial queue.
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    nonisolated(unsafe) private static var received = 0
    nonisolated(unsafe) private static var runner: JobRunner?
    private static let queue = DispatchQueue(label: "orgbatch.signals")

    static func watch(_ runner: JobRunner) {
        queue.sync {
            Interrupts.runner = runner
            if received > 0 { runner.cancel() }
            guard sources.isEmpty else { return }
            sources = [SIGINT, SIGTERM].map { signalNumber in
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
                source.setEventHandler {
                    received += 1
                    if received > 1 { exit(OrgBatchExit.interrupted) }
                    FileHandle.standardError.write(
                        Data("\norgbatch: interrupted; finishing the requests under way (again to quit now)\n".utf8))
                    Interrupts.runner?.cancel()
                }
                source.resume()
                return source
            }
        }
    }
}

/// glibc gives threads up to eight malloc arenas per core; with a thread per worker, each
/// arena keeps its own free memory and the peak RSS rises. Two are plenty for a program that
/// mostly waits on the network. `MALLOC_ARENA_MAX` still wins when set. (`mallopt` is looked
/// up at run time: `malloc.h` is not part of Swift's Glibc module, and other C libraries lack it.)
func limitMallocArenas() {
    guard getenv("MALLOC_ARENA_MAX") == nil, let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else {
        return
    }
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    let arenaMax: Int32 = -8  // M_ARENA_MAX
    _ = unsafeBitCast(symbol, to: Mallopt.self)(arenaMax, 2)
}
