import Foundation
import Testing

@testable import LatchkeyHTTP

/// Every limit, at its default, over a real socket; the server must answer the next
/// request normally afterwards.
struct HTTPServerLimitsTests {
    /// Answers the way the application is expected to: 413 and 414 from the violation.
    static let limitAware: @Sendable (Request) -> Response = { request in
        switch request.limitViolation {
        case .bodyTooLarge: Response(status: 413, text: "too large")
        case .urlTooLong: Response(status: 414, text: "too long")
        case nil: Response(status: 200, text: "body \(request.body.count)")
        }
    }

    @Test func tenMegabyteBody_handlerSeesBodyTooLarge_andServerStaysUp() async throws {
        let server = try TestServer(respond: Self.limitAware)

        let (status, _, _) = try await server.fetch(
            "/upload", method: "POST", body: [UInt8](repeating: 0x61, count: 10 << 20))

        let request = try #require(server.lastRequest)
        #expect(status == 413)
        #expect(request.limitViolation == .bodyTooLarge)
        #expect(request.body.isEmpty)
        #expect(request.form.pairs.isEmpty)
        let next = try await server.fetch("/after", method: "POST", body: Array("small".utf8))
        #expect(next.status == 200)
        #expect(next.body == "body 5")
    }

    @Test func bodyAtLimit_isDelivered() async throws {
        let server = try TestServer(respond: Self.limitAware)

        let (status, _, body) = try await server.fetch(
            "/upload", method: "POST", body: [UInt8](repeating: 0x61, count: 1 << 20))

        #expect(status == 200)
        #expect(body == "body \(1 << 20)")
        #expect(server.lastRequest?.limitViolation == nil)
    }

    @Test func oversizedBodyWithExpectContinue_isRefusedBeforeTheBodyIsSent() throws {
        let server = try TestServer(respond: Self.limitAware)
        let client = try RawClient(port: server.port)

        client.send(
            "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\n"
                + "Expect: 100-continue\r\n\r\n")
        let response = try client.readResponse()

        #expect(response.status == 413)
        #expect(server.lastRequest?.limitViolation == .bodyTooLarge)
    }

    @Test func chunkedBodyOverLimit_isBodyTooLarge() throws {
        let server = try TestServer(respond: Self.limitAware)
        let client = try RawClient(port: server.port)
        let chunk = String(repeating: "b", count: 256 << 10)

        var message = "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        for _ in 0..<5 {
            message += String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n"
        }
        client.send(message + "0\r\n\r\n")
        let response = try client.readResponse()

        #expect(response.status == 413)
        #expect(server.lastRequest?.limitViolation == .bodyTooLarge)
    }

    @Test(arguments: [20 << 10, 64 << 10, 200 << 10])
    func oversizedHeaders_are431WithoutCallingHandler(_ headerBytes: Int) throws {
        let server = try TestServer(respond: Self.limitAware)
        let client = try RawClient(port: server.port)
        let lines = (0..<(headerBytes / 1000)).map {
            "X-Filler-\($0): " + String(repeating: "h", count: 980) + "\r\n"
        }

        client.send("GET /big HTTP/1.1\r\nHost: x\r\n" + lines.joined() + "\r\n")
        let response = try client.readResponse()

        #expect(response.status == 431)
        #expect(server.requestCount == 0)
        let next = try RawClient(port: server.port)
        next.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try next.readResponse().status == 200)
    }

    /// Hundreds of tiny headers fill libmicrohttpd's per-header records before their bytes
    /// reach the limit; the answer is still 431.
    @Test func eightHundredTinyHeaders_are431() throws {
        let server = try TestServer(respond: Self.limitAware)
        let client = try RawClient(port: server.port)
        let lines = (0..<800).map { "X\($0): v\r\n" }.joined()

        client.send("GET / HTTP/1.1\r\nHost: x\r\n" + lines + "\r\n")

        #expect(try client.readResponse().status == 431)
        #expect(server.requestCount == 0)
    }

    @Test(arguments: [String(repeating: "a&", count: 4000), String(repeating: "a=1&", count: 2000)])
    func thousandsOfTinyParameters_withinURLLimit_areTooManyParameters(_ query: String) throws {
        let server = try TestServer(respond: Self.limitAware)
        let client = try RawClient(port: server.port)

        client.send("GET /x?\(query) HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()

        let request = try #require(server.lastRequest)
        #expect(response.status == 200)
        #expect(request.parameterError == .tooManyParameters(limit: 100))
        #expect(request.rawQuery == query)
    }

    @Test func headersJustUnderLimit_reachHandler() throws {
        let server = try TestServer(respond: Self.limitAware)
        let client = try RawClient(port: server.port)
        let lines = (0..<15).map {
            "X-Filler-\($0): " + String(repeating: "h", count: 1000) + "\r\n"
        }

        client.send("GET / HTTP/1.1\r\nHost: x\r\n" + lines.joined() + "\r\n")

        #expect(try client.readResponse().status == 200)
    }

    /// libmicrohttpd's per-connection pool is sized from the limits: a target at the URL
    /// limit together with headers just under the header limit must still fit in it.
    @Test func urlAndHeadersBothAtTheirLimits_reachHandler() throws {
        let server = try TestServer(respond: Self.limitAware)
        let client = try RawClient(port: server.port)
        let target = "/long?q=" + String(repeating: "u", count: (8 << 10) - 8)
        let lines = (0..<15).map {
            "X-Filler-\($0): " + String(repeating: "h", count: 1050) + "\r\n"
        }

        client.send("GET \(target) HTTP/1.1\r\nHost: x\r\n" + lines.joined() + "\r\n")

        #expect(try client.readResponse().status == 200)
        let request = try #require(server.lastRequest)
        #expect(request.rawQuery?.utf8.count == (8 << 10) - 6)
        #expect(request.headers.count == 16)
    }

    /// Each header also takes a record in the pool; a hundred ordinary headers beside a
    /// long target must still reach the handler.
    @Test(arguments: [100, 200])
    func manyOrdinaryHeadersBesideALongTarget_reachHandler(_ count: Int) throws {
        let server = try TestServer(respond: Self.limitAware)
        let client = try RawClient(port: server.port)
        let target = "/long?q=" + String(repeating: "u", count: 4000)
        let lines = (0..<count).map {
            "X-Header-Number-\($0): " + String(repeating: "v", count: 40) + "\r\n"
        }

        client.send("GET \(target) HTTP/1.1\r\nHost: x\r\n" + lines.joined() + "\r\n")

        #expect(try client.readResponse().status == 200)
        #expect(server.lastRequest?.headers.count == count + 1)
    }

    @Test func nineKilobyteURL_handlerSeesURLTooLong() throws {
        let server = try TestServer(respond: Self.limitAware)
        let client = try RawClient(port: server.port)

        client.send(
            "GET /long?q=" + String(repeating: "u", count: 9 << 10) + " HTTP/1.1\r\nHost: x\r\n\r\n"
        )
        let response = try client.readResponse()

        let request = try #require(server.lastRequest)
        #expect(response.status == 414)
        #expect(request.limitViolation == .urlTooLong)
        #expect(request.path == "/long")
        #expect(request.query.pairs.isEmpty)
    }

    @Test func hugeURL_isRefused414ByLibmicrohttpd_andServerStaysUp() throws {
        let server = try TestServer(respond: Self.limitAware)
        let client = try RawClient(port: server.port)

        client.send(
            "GET /" + String(repeating: "u", count: 100 << 10) + " HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()

        #expect(response.status == 414)
        let next = try RawClient(port: server.port)
        next.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try next.readResponse().status == 200)
    }

    @Test func refusedRequests_releaseTheirState() throws {
        let server = try TestServer(respond: Self.limitAware)
        let filler = String(repeating: "h", count: 200 << 10)

        for target in ["/a", "/" + String(repeating: "u", count: 100 << 10)] {
            let client = try RawClient(port: server.port)
            client.send("GET \(target) HTTP/1.1\r\nHost: x\r\nX-Big: \(filler)\r\n\r\n")
            _ = try? client.readResponse()
        }

        let deadline = Date().addingTimeInterval(5)
        while server.server.requestsInFlight > 0, Date() < deadline {
            usleep(10_000)
        }
        #expect(server.server.requestsInFlight == 0)
    }
}
