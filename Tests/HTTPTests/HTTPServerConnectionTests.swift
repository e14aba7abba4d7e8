import Foundation
import Testing

@testable import LatchkeyHTTP

/// How the server treats connections: reuse, many clients, slow and broken ones.
struct HTTPServerConnectionTests {
    @Test func keepAlive_twoRequestsOnOneConnection_bothAnswered() throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)

        client.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n")
        let first = try client.readResponse()
        client.send("GET /second HTTP/1.1\r\nHost: x\r\n\r\n")
        let second = try client.readResponse()

        #expect(first.status == 200)
        #expect(first.text == "/first")
        #expect(first.header("Connection")?.lowercased() != "close")
        #expect(second.status == 200)
        #expect(second.text == "/second")
    }

    @Test func keepAlive_postThenGet_bothAnswered() throws {
        let server = try TestServer { request in Response(status: 200, body: request.body) }
        let client = try RawClient(port: server.port)

        client.send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
        let first = try client.readResponse()
        client.send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n")
        let second = try client.readResponse()

        #expect(first.text == "hello")
        #expect(second.status == 200)
        #expect(second.body.isEmpty)
    }

    @Test func manyConcurrentClients_allAnswered() async throws {
        let server = try TestServer { request in
            usleep(2_000)
            return Response(status: 200, text: request.query["n"] ?? "")
        }

        let answers = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in 0..<100 {
                group.addTask {
                    let (status, _, body) = try await server.fetch("/n?n=\(index)")
                    #expect(status == 200)
                    return (index, body)
                }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }

        #expect(answers.count == 100)
        #expect(answers.allSatisfy { "\($0.key)" == $0.value })
    }

    @Test func slowBody_inPieces_isAssembled() throws {
        let server = try TestServer { request in Response(status: 200, body: request.body) }
        let client = try RawClient(port: server.port)

        client.send("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n")
        for piece in ["abc", "def", "ghi", "jkl"] {
            usleep(50_000)
            client.send(piece)
        }
        let response = try client.readResponse()

        #expect(response.text == "abcdefghijkl")
    }

    /// libmicrohttpd 0.9.75 answers what it can parse and closes the connection on
    /// a request line it cannot (nil: no response at all).
    @Test(
        arguments: [
            ("GARBAGE\r\n\r\n", nil), ("GET\r\n\r\n", nil),
            ("GET / HTTP/1.1\r\n\r\n", 400),  // RFC 9112 §3.2: Host is required
            ("GET / HTTP/9.9\r\nHost: x\r\n\r\n", 505),
            ("GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", nil),  // strict mode: no space in target
        ] as [(String, Int?)])
    func brokenRequest_isRefusedWithoutHandler_andServerStaysUp(
        _ message: String, expectedStatus: Int?
    ) throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)

        client.send(message)
        let response = try? client.readResponse()

        #expect(response?.status == expectedStatus)
        #expect(server.requestCount == 0)
        let next = try RawClient(port: server.port)
        next.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try next.readResponse().status == 200)
    }

    @Test func expectContinue_smallBody_getsContinueThenAnswer() throws {
        let server = try TestServer { request in Response(status: 200, body: request.body) }
        let client = try RawClient(port: server.port)

        client.send(
            "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        let interim = try client.readResponse()
        client.send("data")
        let final = try client.readResponse()

        #expect(interim.status == 100)
        #expect(final.status == 200)
        #expect(final.text == "data")
    }

    /// At its limit libmicrohttpd stops accepting, so a further client waits in the
    /// listen backlog until a connection closes, rather than being refused.
    @Test func connectionLimit_reached_furtherClientWaitsForAFreeSlot() throws {
        let configuration = HTTPServerConfiguration(port: 0, threadCount: 1, connectionLimit: 2)
        let server = try TestServer(configuration: configuration)
        var first: RawClient? = try RawClient(port: server.port)
        let second = try RawClient(port: server.port)
        first?.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n")
        second.send("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try first?.readResponse()
        _ = try second.readResponse()

        let third = try RawClient(port: server.port)
        third.send("GET /3 HTTP/1.1\r\nHost: x\r\n\r\n")
        usleep(300_000)
        let servedWhileFull = server.requestCount
        first = nil
        let response = try third.readResponse()

        #expect(servedWhileFull == 2)
        #expect(response.status == 200)
        #expect(response.text == "/3")
    }

    @Test func silentConnection_isClosedAfterTimeout() throws {
        let server = try TestServer(
            configuration: HTTPServerConfiguration(port: 0, threadCount: 2, connectionTimeout: 1))
        let client = try RawClient(port: server.port)
        let started = Date()

        client.send("GET / HTTP/1.1\r\n")

        #expect(client.isClosedByPeer())
        #expect(Date().timeIntervalSince(started) < 5)
    }
}
