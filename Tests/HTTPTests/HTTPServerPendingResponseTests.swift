import Foundation
import Synchronization
import Testing

@testable import LatchkeyHTTP

/// A response may be held back until something else finishes (the commit of the tokens it
/// carries): the server keeps the connection, holds no thread meanwhile, and sends what
/// the pending response answers, from whichever thread answers it.
struct HTTPServerPendingResponseTests {
    /// Answers handed over by the handlers, for the test to release from its own thread.
    private final class Answers: Sendable {
        private let waiting = Mutex<[@Sendable (Response) -> Void]>([])

        func hold(_ answer: @escaping @Sendable (Response) -> Void) {
            waiting.withLock { $0.append(answer) }
        }

        /// Waits until `count` answers are held, then hands back the oldest.
        func next(whenHolding count: Int = 1) -> (@Sendable (Response) -> Void)? {
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                let answer = waiting.withLock { held -> (@Sendable (Response) -> Void)? in
                    held.count >= count ? held.removeFirst() : nil
                }
                if let answer { return answer }
                usleep(1_000)
            }
            return nil
        }
    }

    /// `/held` and `/held-blocking` answer through a pending response the test releases,
    /// the first from the event loop and the second from the blocking pool; `/ready` is
    /// pending but answers at once; every other path answers plainly.
    private static func server(answers: Answers, threads: Int = 1) throws -> TestServer {
        let configuration = HTTPServerConfiguration(
            port: 0, threadCount: threads, blockingThreadCount: 2)
        return try TestServer(configuration: configuration) { request in
            var held = Response(status: 200, text: "placeholder")
            switch request.path {
            case "/held":
                held.pending = { answer in answers.hold(answer) }
                return .response(held)
            case "/held-blocking":
                held.pending = { answer in answers.hold(answer) }
                let fromThePool = held
                return .blocking { fromThePool }
            case "/ready":
                held.pending = { answer in answer(Response(status: 201, text: "at once")) }
                return .response(held)
            default:
                return .response(Response(status: 200, text: "now \(request.path)"))
            }
        }
    }

    @Test(arguments: ["/held", "/held-blocking"])
    func pendingResponse_sendsWhatItAnswers_andTheWorkerServesOthersMeanwhile(path: String)
        throws
    {
        let answers = Answers()
        let server = try Self.server(answers: answers, threads: 1)
        let held = try RawClient(port: server.port)
        held.send("POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        let answer = try #require(answers.next())

        let other = try RawClient(port: server.port)
        other.send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n")
        let meanwhile = try other.readResponse()
        // Answered from a thread that is neither a worker nor the pool's.
        Thread.detachNewThread {
            answer(Response(status: 503, headers: [("Retry-After", "1")], text: "gave up"))
        }
        let final = try held.readResponse()

        #expect(meanwhile.text == "now /other")
        #expect(final.status == 503)
        #expect(final.header("Retry-After") == "1")
        #expect(final.text == "gave up")
    }

    @Test func pendingResponse_answeredAtOnce_isSent_andTheConnectionStaysOpen() throws {
        let server = try Self.server(answers: Answers())
        let client = try RawClient(port: server.port)

        client.send("GET /ready HTTP/1.1\r\nHost: x\r\n\r\n")
        let first = try client.readResponse()
        client.send("GET /ready HTTP/1.1\r\nHost: x\r\n\r\n")
        let second = try client.readResponse()

        #expect(first.status == 201)
        #expect(first.text == "at once")
        #expect(first.header("Connection")?.lowercased() != "close")
        #expect(second.text == "at once")
    }

    @Test func manyPendingResponses_onOneWorker_eachGetsItsOwnAnswer() throws {
        let answers = Answers()
        let server = try Self.server(answers: answers, threads: 1)
        let clients = try (0..<8).map { _ in try RawClient(port: server.port) }
        for client in clients {
            client.send("GET /held HTTP/1.1\r\nHost: x\r\n\r\n")
        }

        // Released in arrival order; each client reads the answer it was given, and
        // every answer reaches one client.
        for index in 0..<8 {
            let answer = try #require(answers.next(whenHolding: index == 0 ? 8 : 1))
            answer(Response(status: 200, text: "answer \(index)"))
        }
        var texts: [String] = []
        for (index, client) in clients.enumerated() {
            do { texts.append(try client.readResponse().text) } catch {
                Issue.record("client \(index): \(error)")
            }
        }

        #expect(Set(texts) == Set((0..<8).map { "answer \($0)" }))
    }

    @Test func waitingForPending_returnsTheAnswerWithoutPending() {
        var held = Response(status: 200, text: "placeholder")
        held.pending = { answer in
            Thread.detachNewThread { answer(Response(status: 202, text: "later")) }
        }

        let answered = held.waitingForPending()

        #expect(answered.status == 202)
        #expect(answered.pending == nil)
        #expect(String(decoding: answered.body, as: UTF8.self) == "later")
    }
}
