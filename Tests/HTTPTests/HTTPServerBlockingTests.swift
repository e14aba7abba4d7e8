import Foundation
import Synchronization
import Testing

@testable import LatchkeyHTTP

/// Work a dispatcher marks as blocking runs on the blocking pool with its connection
/// suspended, so it holds no event-loop worker.
struct HTTPServerBlockingTests {
    /// A gate that blocking work waits at until the test opens it.
    private final class Gate: Sendable {
        private let opened = DispatchSemaphore(value: 0)
        let waiting = Atomic<Int>(0)

        func wait() {
            waiting.add(1, ordering: .releasing)
            opened.wait()
        }

        func open(count: Int = 1) {
            for _ in 0..<count { opened.signal() }
        }

        func waitForWaiters(_ count: Int) {
            let deadline = Date().addingTimeInterval(10)
            while waiting.load(ordering: .acquiring) < count, Date() < deadline {
                usleep(1_000)
            }
        }
    }

    /// `/wait` waits at the gate on the blocking pool; every other path answers at once.
    private static func server(
        gate: Gate, threads: Int = 1, blockingThreads: Int = 4, gracePeriod: Double = 10
    ) throws -> TestServer {
        let configuration = HTTPServerConfiguration(
            port: 0, threadCount: threads, blockingThreadCount: blockingThreads,
            shutdownGracePeriod: gracePeriod)
        return try TestServer(configuration: configuration) { request in
            guard request.path == "/wait" else {
                return .response(Response(status: 200, text: "now \(request.path)"))
            }
            return .blocking {
                gate.wait()
                return Response(status: 201, text: "waited")
            }
        }
    }

    @Test func blockingWork_leavesTheOnlyWorkerFreeForOtherRequests() throws {
        let gate = Gate()
        let server = try Self.server(gate: gate, threads: 1)
        let waiting = try RawClient(port: server.port)
        waiting.send("POST /wait HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        gate.waitForWaiters(1)

        let other = try RawClient(port: server.port)
        other.send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n")
        let answeredMeanwhile = try other.readResponse()
        gate.open()
        let waited = try waiting.readResponse()

        #expect(answeredMeanwhile.status == 200)
        #expect(answeredMeanwhile.text == "now /other")
        #expect(waited.status == 201)
        #expect(waited.text == "waited")
        #expect(waited.header("Connection")?.lowercased() != "close")
    }

    @Test func resumedConnection_staysAliveForTheNextRequest() throws {
        let gate = Gate()
        let server = try Self.server(gate: gate)
        let client = try RawClient(port: server.port)

        client.send("POST /wait HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        gate.waitForWaiters(1)
        gate.open()
        let first = try client.readResponse()
        client.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
        let second = try client.readResponse()

        #expect(first.text == "waited")
        #expect(second.text == "now /next")
        #expect(server.requestCount == 2)
        #expect(server.log.components(separatedBy: "msg=request ").count == 3)
    }

    @Test func blockingWork_runsTogether_upToThePoolSize() throws {
        let gate = Gate()
        let server = try Self.server(gate: gate, threads: 1, blockingThreads: 8)
        let clients = try (0..<8).map { _ in try RawClient(port: server.port) }
        for client in clients {
            client.send("POST /wait HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        }

        // All eight wait at once although one worker received them.
        gate.waitForWaiters(8)
        let waitingTogether = gate.waiting.load(ordering: .acquiring)
        gate.open(count: 8)
        let responses = try clients.map { try $0.readResponse() }

        #expect(waitingTogether == 8)
        #expect(responses.allSatisfy { $0.status == 201 && $0.text == "waited" })
    }

    @Test func blockingWork_beyondThePoolSize_queuesAndStillAnswers() throws {
        let gate = Gate()
        let server = try Self.server(gate: gate, threads: 1, blockingThreads: 2)
        let clients = try (0..<5).map { _ in try RawClient(port: server.port) }
        for client in clients {
            client.send("POST /wait HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        }

        gate.waitForWaiters(2)
        usleep(100_000)
        let waitingAtOnce = gate.waiting.load(ordering: .acquiring)
        gate.open(count: 5)
        let responses = try clients.map { try $0.readResponse() }

        #expect(waitingAtOnce == 2)
        #expect(responses.allSatisfy { $0.text == "waited" })
    }

    @Test func noBlockingThreads_runsTheWorkOnTheWorker() throws {
        let gate = Gate()
        gate.open()
        let server = try Self.server(gate: gate, threads: 1, blockingThreads: 0)
        let client = try RawClient(port: server.port)

        client.send("POST /wait HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        let response = try client.readResponse()

        #expect(response.status == 201)
        #expect(response.text == "waited")
    }

    @Test func shutdown_waitsForBlockingWork_evenPastTheGracePeriod() throws {
        let gate = Gate()
        let server = try Self.server(gate: gate, gracePeriod: 0.1)
        let client = try RawClient(port: server.port)
        client.send("POST /wait HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        gate.waitForWaiters(1)

        // A thread of its own: the test pool's threads may all be busy with other tests.
        let stopped = Atomic<Bool>(false)
        Thread.detachNewThread {
            server.server.shutdown()
            stopped.store(true, ordering: .releasing)
        }
        usleep(400_000)
        let stoppedWhileWorkWaited = stopped.load(ordering: .acquiring)
        gate.open()
        let response = try client.readResponse()
        while !stopped.load(ordering: .acquiring) { usleep(1_000) }

        #expect(!stoppedWhileWorkWaited)
        #expect(response.status == 201)
        #expect(response.header("Connection")?.lowercased() == "close")
    }
}

/// The pool on its own: threads on demand, reused, and ended by `stop()`.
struct BlockingPoolTests {
    @Test func sequentialWork_reusesOneThread() {
        let pool = BlockingPool(maximumThreads: 4)
        let threadNames = Mutex<Set<ObjectIdentifier>>([])

        for _ in 0..<5 {
            pool.submit {
                threadNames.withLock { _ = $0.insert(ObjectIdentifier(Thread.current)) }
            }
            pool.waitUntilIdle()
        }
        pool.stop()

        #expect(threadNames.withLock { $0.count } == 1)
    }

    @Test func stop_finishesQueuedWorkFirst() {
        let pool = BlockingPool(maximumThreads: 1)
        let finished = Atomic<Int>(0)

        for _ in 0..<10 {
            pool.submit {
                usleep(1_000)
                finished.add(1, ordering: .relaxed)
            }
        }
        pool.stop()

        #expect(finished.load(ordering: .relaxed) == 10)
    }
}
