import Foundation
import LatchkeyLog
import Synchronization

@testable import LatchkeyHTTP

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A real `HTTPServer` on a free port that remembers every request its handler saw and
/// writes its log to a file the test can read.
final class TestServer: Sendable {
    let server: HTTPServer
    let seen = SeenRequests()
    private let logPath: String
    private let logFile: Int32

    convenience init(
        configuration: HTTPServerConfiguration = HTTPServerConfiguration(port: 0, threadCount: 4),
        respond: @escaping @Sendable (Request) -> Response = TestServer.echo
    ) throws {
        try self.init(configuration: configuration, dispatch: { .response(respond($0)) })
    }

    init(
        configuration: HTTPServerConfiguration = HTTPServerConfiguration(port: 0, threadCount: 4),
        dispatch: @escaping Dispatcher
    ) throws {
        logPath = NSTemporaryDirectory() + "latchkey-http-\(UUID().uuidString).log"
        logFile = open(logPath, O_CREAT | O_WRONLY | O_APPEND, 0o600)
        let seen = self.seen
        server = HTTPServer(
            configuration: configuration, logger: Logger(fileDescriptor: logFile),
            dispatcher: { request in
                seen.requests.withLock { $0.append(request) }
                return dispatch(request)
            })
        try server.start()
    }

    deinit {
        server.shutdown()
        close(logFile)
        unlink(logPath)
    }

    var port: UInt16 { server.port }

    func url(_ target: String) -> URL {
        URL(string: "http://127.0.0.1:\(port)\(target)")!
    }

    /// The one request the handler saw; fails the test through the caller's `#require`.
    var lastRequest: Request? { seen.requests.withLock { $0.last } }

    var requestCount: Int { seen.requests.withLock { $0.count } }

    var log: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Answers 200 with the decoded path, for tests that only look at what the handler saw.
    static let echo: @Sendable (Request) -> Response = { request in
        Response(status: 200, headers: [("Content-Type", "text/plain")], text: request.path)
    }

    /// A session that neither stores cookies nor reuses anything between tests.
    static func session() -> URLSession {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.timeoutIntervalForRequest = 20
        return URLSession(configuration: configuration)
    }

    /// Sends a request with URLSession and returns the status, headers and body.
    func fetch(
        _ target: String, method: String = "GET", headers: [String: String] = [:],
        body: [UInt8]? = nil
    ) async throws -> (status: Int, headers: [AnyHashable: Any], body: String) {
        var request = URLRequest(url: url(target))
        request.httpMethod = method
        for (name, value) in headers {
            request.setValue(value, forHTTPHeaderField: name)
        }
        request.httpBody = body.map { Data($0) }
        let (data, response) = try await TestServer.session().data(for: request)
        let http = response as! HTTPURLResponse
        return (http.statusCode, http.allHeaderFields, String(decoding: data, as: UTF8.self))
    }
}

/// The requests a test handler saw, shared between the handler's threads and the test.
final class SeenRequests: Sendable {
    let requests = Mutex<[Request]>([])
}
