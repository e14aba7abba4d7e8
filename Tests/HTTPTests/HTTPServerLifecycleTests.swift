import Foundation
import LatchkeyLog
import Synchronization
import Testing

@testable import LatchkeyHTTP

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Starting, binding, logging and stopping.
struct HTTPServerLifecycleTests {
    private static func quietServer(_ configuration: HTTPServerConfiguration) -> HTTPServer {
        HTTPServer(
            configuration: configuration, logger: Logger(minimumLevel: .error),
            handler: { _ in Response(status: 200) })
    }

    @Test func portZero_bindsARealPort() throws {
        let server = try TestServer()

        #expect(server.port != 0)
        #expect(throws: Never.self) { _ = try RawClient(port: server.port) }
    }

    @Test func portInUse_startThrowsStartFailed() throws {
        let first = try TestServer()
        let second = Self.quietServer(HTTPServerConfiguration(port: first.port))

        #expect {
            try second.start()
        } throws: { error in
            let error = error as? HTTPServerError
            return error?.code == .startFailed
                && error?.message
                    == "cannot listen on 127.0.0.1:\(first.port): Failed to bind to port "
                    + "\(first.port): Address already in use"

        }
    }

    @Test(arguments: ["localhost", "example.com", "", "1.2.3", "::g", "127.0.0.1:80"])
    func hostNotALiteral_startThrowsInvalidHost(_ host: String) {
        let server = Self.quietServer(HTTPServerConfiguration(host: host, port: 0))

        #expect {
            try server.start()
        } throws: { error in
            (error as? HTTPServerError)?.code == .invalidHost
        }
    }

    @Test func invalidSetting_startThrowsInvalidConfiguration() {
        let server = Self.quietServer(HTTPServerConfiguration(port: 0, threadCount: 0))

        #expect(throws: HTTPServerError.self) { try server.start() }
    }

    @Test func startTwice_throwsAlreadyStarted() throws {
        let server = try TestServer()

        #expect {
            try server.server.start()
        } throws: { error in
            (error as? HTTPServerError)?.code == .alreadyStarted
        }
    }

    @Test func ipv6Loopback_bindsOnlyThere() throws {
        let server = try TestServer(
            configuration: HTTPServerConfiguration(host: "::1", port: 0, threadCount: 2))
        let client = try RawClient(port: server.port, host: "::1")

        client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")

        #expect(try client.readResponse().status == 200)
        #expect(server.lastRequest?.remoteAddress == "::1")
        #expect(throws: RawClientError.self) { try RawClient(port: server.port) }
    }

    @Test func requestLog_hasOneLinePerRequestWithoutQuery() throws {
        let server = try TestServer()
        let client = try RawClient(port: server.port)

        client.send("GET /token/path?access_token=SECRET123&x=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try client.readResponse()
        let requestID = try #require(server.lastRequest?.id)

        let lines = server.log.split(separator: "\n").filter { $0.contains("msg=request ") }
        #expect(lines.count == 1)
        let line = String(lines.first ?? "")
        #expect(!server.log.contains("SECRET123"))
        #expect(!server.log.contains("access_token"))
        #expect(line.contains("http.path=/token/path "))
        #expect(line.contains("http.method=GET"))
        #expect(line.contains("http.status=200"))
        #expect(line.contains("request.id=\(requestID)"))
        #expect(line.contains("duration_ms="))
        #expect(line.contains("level=info"))
    }

    @Test func lifecycleLog_hasStartedAndStopped() throws {
        let server = try TestServer()
        let port = server.port

        server.server.shutdown()

        #expect(server.log.contains("msg=\"server started\" http.host=127.0.0.1 http.port=\(port)"))
        #expect(server.log.contains("msg=\"server stopped\""))
    }

    @Test func shutdown_letsSlowRequestFinish_andRefusesNewConnections() throws {
        let entered = Atomic<Bool>(false)
        let server = try TestServer { _ in
            entered.store(true, ordering: .releasing)
            usleep(800_000)
            return Response(status: 200, text: "finished")
        }
        let slow = try RawClient(port: server.port)
        slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        while !entered.load(ordering: .acquiring) {
            usleep(1_000)
        }

        // A thread of its own: the test pool's threads may all be busy with other tests.
        let stopped = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            server.server.shutdown()
            stopped.signal()
        }
        usleep(200_000)
        let refused = Result { try RawClient(port: server.port) }
        let response = try slow.readResponse()
        stopped.wait()

        #expect(response.status == 200)
        #expect(response.text == "finished")
        #expect(response.header("Connection")?.lowercased() == "close")
        guard case .failure(RawClientError.connectFailed(let code)) = refused else {
            Issue.record("a new connection was accepted during shutdown")
            return
        }
        #expect(code == ECONNREFUSED)
    }

    @Test func shutdown_stuckRequest_isCutAfterGracePeriod() throws {
        let configuration = HTTPServerConfiguration(
            port: 0, threadCount: 2, shutdownGracePeriod: 0.3)
        let server = try TestServer(configuration: configuration)
        let stuck = try RawClient(port: server.port)
        stuck.send("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part")
        usleep(100_000)
        let started = Date()

        server.server.shutdown()

        #expect(Date().timeIntervalSince(started) < 3)
        #expect(server.requestCount == 0)
    }

    @Test func shutdownTwice_isHarmless() throws {
        let server = try TestServer()

        server.server.shutdown()
        server.server.shutdown()

        #expect(server.server.port == 0)
    }
}
