import Foundation
import Testing

@testable import LatchkeyHTTP

/// What a handler sees of requests sent over a real socket.
struct HTTPServerDecodingTests {
    @Test func query_overSocket_isDecodedInOrderWithRepeats() async throws {
        let server = try TestServer()

        let (status, _, _) = try await server.fetch(
            "/p%C3%A5th/x?s=a+b&s=%2B&empty=&flag&&utf=%E2%82%AC")

        let request = try #require(server.lastRequest)
        #expect(status == 200)
        #expect(request.path == "/påth/x")
        #expect(request.rawQuery == "s=a+b&s=%2B&empty=&flag&&utf=%E2%82%AC")
        #expect(
            request.query
                == Parameters([("s", "a b"), ("s", "+"), ("empty", ""), ("flag", ""), ("utf", "€")])
        )
        #expect(request.parameterError == nil)
    }

    @Test func formBody_overSocket_isDecoded() async throws {
        let server = try TestServer()

        _ = try await server.fetch(
            "/token", method: "POST",
            headers: ["Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"],
            body: Array(
                "grant_type=authorization_code&code=c%2B1&redirect_uri=http%3A%2F%2Fa%2Fcb".utf8))

        let request = try #require(server.lastRequest)
        #expect(request.method == "POST")
        #expect(
            request.form
                == Parameters([
                    ("grant_type", "authorization_code"), ("code", "c+1"),
                    ("redirect_uri", "http://a/cb"),
                ]))
        #expect(
            request.body
                == Array(
                    "grant_type=authorization_code&code=c%2B1&redirect_uri=http%3A%2F%2Fa%2Fcb".utf8
                ))
    }

    @Test(arguments: ["/x?a=%zz", "/x?a=%4", "/x?a=%C3%28", "/x%zz"])
    func malformedTarget_overSocket_isMalformedEncoding(_ target: String) throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)

        client.send("GET \(target) HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()

        let request = try #require(server.lastRequest)
        #expect(response.status == 200)
        #expect(request.parameterError == .malformedEncoding)
        #expect(request.query.pairs.isEmpty)
    }

    @Test func malformedFormBody_overSocket_isMalformedEncoding() async throws {
        let server = try TestServer()

        _ = try await server.fetch(
            "/token?a=1", method: "POST",
            headers: ["Content-Type": "application/x-www-form-urlencoded"],
            body: Array("b=%C3%28".utf8))

        let request = try #require(server.lastRequest)
        #expect(request.parameterError == .malformedEncoding)
        #expect(request.query.pairs.isEmpty)
        #expect(request.form.pairs.isEmpty)
    }

    @Test func twoHundredParameters_overSocket_isTooManyParameters() async throws {
        let server = try TestServer()
        let query = (1...200).map { "p\($0)=v" }.joined(separator: "&")

        _ = try await server.fetch("/x?" + query)

        let request = try #require(server.lastRequest)
        #expect(request.parameterError == .tooManyParameters(limit: 100))
        #expect(request.query.pairs.isEmpty)
    }

    @Test func headers_overSocket_areLowerCasedInOrderWithDuplicates() throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)

        client.send(
            "GET / HTTP/1.1\r\nHost: example\r\nX-Trace: one\r\nAccept: */*\r\nx-trace: two\r\n\r\n"
        )
        _ = try client.readResponse()

        let request = try #require(server.lastRequest)
        #expect(request.headers.map(\.name) == ["host", "x-trace", "accept", "x-trace"])
        #expect(request.headerValues("X-Trace") == ["one", "two"])
        #expect(request.header("HOST") == "example")
    }

    @Test func request_overSocket_hasAddressAndID() throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)

        client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try client.readResponse()
        _ = try client.readResponse()

        let requests = server.seen.requests.withLock { $0 }
        #expect(requests.count == 2)
        #expect(requests.allSatisfy { $0.remoteAddress == "127.0.0.1" })
        #expect(requests.allSatisfy { $0.id.count == 16 && $0.id.allSatisfy(\.isHexDigit) })
        #expect(requests[0].id != requests[1].id)
        #expect(requests.allSatisfy { !$0.isTLS })
    }

    @Test func response_headersAndBody_areSentAsGiven() async throws {
        let server = try TestServer { _ in
            Response(
                status: 201,
                headers: [
                    ("Content-Type", "application/json"), ("Cache-Control", "no-store"),
                    ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"),
                ],
                text: "{\"ok\":true}")
        }
        let client = try RawClient(port: server.port)

        client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()

        #expect(response.status == 201)
        #expect(response.text == "{\"ok\":true}")
        #expect(response.headers.filter { $0.name == "Set-Cookie" }.map(\.value) == ["a=1", "b=2"])
        let names = Set(response.headers.map { $0.name.lowercased() })
        #expect(
            names == ["content-type", "cache-control", "set-cookie", "content-length", "date"])
    }

    @Test func head_sendsHeadersWithoutBody() throws {
        let server = try TestServer { _ in Response(status: 200, text: "twelve bytes") }
        let client = try RawClient(port: server.port)

        client.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try client.readResponse(headOnly: true)
        let get = try client.readResponse()

        #expect(server.seen.requests.withLock { $0.map(\.method) } == ["HEAD", "GET"])
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "12")
        #expect(get.text == "twelve bytes")
    }

    @Test func handlerStatusOutOfRange_isAnswered500() throws {
        let server = try TestServer { _ in Response(status: 42, text: "odd") }
        let client = try RawClient(port: server.port)

        client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()

        #expect(response.status == 500)
        #expect(response.body.isEmpty)
    }

    @Test func responseHeaderWithLineBreak_isNotSent() throws {
        let server = try TestServer { _ in
            Response(status: 200, headers: [("X-Evil", "a\r\nSet-Cookie: injected=1")], text: "ok")
        }
        let client = try RawClient(port: server.port)

        client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()

        #expect(response.status == 200)
        #expect(response.header("Set-Cookie") == nil)
        #expect(response.header("X-Evil") == nil)
    }
}
