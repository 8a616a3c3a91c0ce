import Foundation
import OrgBatch
import Synchronization

/// A `Transport` that answers from a script and records what it was sent.
final class ScriptedTransport: Transport, @unchecked Sendable {
    // @unchecked Sendable: all mutable state sits in `state`, guarded by its Mutex.
    enum Step {
        case response(HTTPResponse)
        case failure(TransportError)
    }

    private struct State {
        var steps: [Step]
        var sent: [HTTPRequest] = []
    }

    private let state: Mutex<State>
    /// Answers when the script has run out (nil: fail the test loudly).
    private let fallback: (@Sendable (HTTPRequest) -> HTTPResponse)?

    init(_ steps: [Step] = [], fallback: (@Sendable (HTTPRequest) -> HTTPResponse)? = nil) {
        state = Mutex(State(steps: steps))
        self.fallback = fallback
    }

    func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        let step: Step? = state.withLock { state in
            state.sent.append(request)
            return state.steps.isEmpty ? nil : state.steps.removeFirst()
        }
        switch step {
        case .response(let response): return response
        case .failure(let error): throw error
        case nil:
            guard let fallback else { fatalError("ScriptedTransport: no answer left for \(request.url)") }
            return fallback(request)
        }
    }

    var sent: [HTTPRequest] { state.withLock { $0.sent } }

    func enqueue(_ step: Step) {
        state.withLock { $0.steps.append(step) }
    }

    /// Answers with JSON `object` and the given status.
    static func json(_ status: Int, _ object: Any, headers: [(name: String, value: String)] = []) -> Step {
        let body = try! JSONSerialization.data(withJSONObject: object)
        return .response(HTTPResponse(status: status, headers: headers + [("x-amzn-RequestId", "req-\(status)")], body: Array(body)))
    }

    static func text(_ status: Int, _ text: String, headers: [(name: String, value: String)] = []) -> Step {
        .response(HTTPResponse(status: status, headers: headers, body: Array(text.utf8)))
    }
}

/// Hands the same scripted transport to everyone who asks.
struct ScriptedTransportFactory: TransportFactory {
    let transport: ScriptedTransport

    func makeTransport() -> any Transport { transport }
}

extension HTTPRequest {
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var bodyJSON: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }

    var bodyText: String { String(decoding: body, as: UTF8.self) }
}
