import LatchkeyThreads

/// What a handler answers. The HTTP layer adds nothing but `Content-Length` and
/// `Date`; every other header is the application's decision.
public struct Response: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Set on a response that may be sent only once something else has finished, such
    /// as the commit of the tokens it carries. The server holds the connection, without
    /// holding a thread, and calls this once; it answers, then or later and on any
    /// thread, with the response to send instead (this one without `pending`, or an
    /// error in its place).
    public var pending: Pending?

    public typealias Pending = @Sendable (_ answer: @escaping @Sendable (Response) -> Void) -> Void

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public init(status: Int, headers: [(name: String, value: String)] = [], text: String) {
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }

    /// The response to send, once `pending` has answered: for callers that have nothing
    /// else to do meanwhile and may block.
    public func waitingForPending() -> Response {
        guard let pending else { return self }
        let answered = AnsweredResponse()
        pending { response in answered.set(response) }
        return answered.wait()
    }

    /// The first value of a header, matched case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Answers one request. Called on one of the server's worker threads; it may block
/// (database, password hashing), which holds that worker until it returns.
public typealias Handler = @Sendable (Request) -> Response

/// How a ``Dispatcher`` answers: at once, or through work that may wait.
public enum Dispatch: Sendable {
    case response(Response)
    /// Work that may wait on a disk, a lock or another server. It runs on a thread of the
    /// server's blocking pool while the connection is suspended, so that it holds no
    /// event-loop worker (see `HTTPServerConfiguration.blockingThreadCount`).
    case blocking(@Sendable () -> Response)
}

/// Answers one request on a worker thread, or hands back the work that would block it.
public typealias Dispatcher = @Sendable (Request) -> Dispatch

/// The answer of a pending response, handed from the thread that answers to the one that
/// waits.
private final class AnsweredResponse: @unchecked Sendable {
    private let condition = Condition()
    private var response: Response?

    func set(_ response: Response) {
        condition.lock()
        self.response = response
        condition.signal()
        condition.unlock()
    }

    func wait() -> Response {
        condition.lock()
        defer { condition.unlock() }
        while response == nil { condition.wait() }
        var answer = response!
        answer.pending = nil
        return answer
    }
}
