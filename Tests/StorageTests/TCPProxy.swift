import Foundation

/// A TCP forwarder in front of the test server, to take the database away and bring it
/// back under a live store: ``stop()`` closes the listening socket and every forwarded
/// connection (what a server shutdown does to its clients), ``start()`` listens again on
/// the same port.
final class TCPProxy: @unchecked Sendable {
    let port: UInt16
    private let targetPort: UInt16
    private let lock = NSLock()
    private var listener: Int32 = -1
    private var forwarded: Set<Int32> = []

    struct SocketError: Error, CustomStringConvertible {
        let description: String
    }

    /// Listens on a free port of 127.0.0.1 and forwards to `targetPort` there.
    init(targetPort: UInt16) throws {
        self.targetPort = targetPort
        let listener = try Self.makeListener(port: 0)
        self.port = try Self.localPort(of: listener)
        self.listener = listener
        startAccepting(listener)
    }

    deinit {
        stop()
    }

    /// Listens again on the same port.
    func start() throws {
        let listener = try Self.makeListener(port: port)
        lock.withLock { self.listener = listener }
        startAccepting(listener)
    }

    /// Refuses new connections and closes the open ones.
    func stop() {
        let (listener, open) = lock.withLock {
            defer {
                self.listener = -1
            }
            return (self.listener, forwarded)
        }
        // shutdown wakes the threads blocked in accept and read; each closes its own.
        if listener >= 0 { shutdown(listener, Int32(SHUT_RDWR)) }
        for socket in open { shutdown(socket, Int32(SHUT_RDWR)) }
    }

    private func startAccepting(_ listener: Int32) {
        Thread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { break }
                guard let server = try? Self.connectSocket(to: targetPort) else {
                    close(client)
                    continue
                }
                lock.withLock {
                    forwarded.insert(client)
                    forwarded.insert(server)
                }
                let pair = Pair(client, server, proxy: self)
                Thread { pair.pump(from: client, to: server) }.start()
                Thread { pair.pump(from: server, to: client) }.start()
            }
            close(listener)
        }.start()
    }

    fileprivate func forget(_ sockets: Int32...) {
        lock.withLock { for socket in sockets { forwarded.remove(socket) } }
    }

    /// Two sockets forwarded to each other; the second pump to finish closes both, so
    /// that no descriptor is closed while the other pump may still use it.
    private final class Pair: @unchecked Sendable {
        let first: Int32
        let second: Int32
        let proxy: TCPProxy
        private let lock = NSLock()
        private var finished = 0

        init(_ first: Int32, _ second: Int32, proxy: TCPProxy) {
            self.first = first
            self.second = second
            self.proxy = proxy
        }

        func pump(from source: Int32, to destination: Int32) {
            var buffer = [UInt8](repeating: 0, count: 16_384)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                let written = buffer.withUnsafeBytes {
                    send(destination, $0.baseAddress, count, Int32(MSG_NOSIGNAL))
                }
                guard written == count else { break }
            }
            shutdown(first, Int32(SHUT_RDWR))
            shutdown(second, Int32(SHUT_RDWR))

            let isLast = lock.withLock {
                finished += 1
                return finished == 2
            }
            guard isLast else { return }
            proxy.forget(first, second)
            close(first)
            close(second)
        }
    }

    private static func makeListener(port: UInt16) throws -> Int32 {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw SocketError(description: "socket: \(errno)") }
        var yes: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))

        var address = loopback(port: port)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socket, generic, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard bound, listen(socket, 64) == 0 else {
            close(socket)
            throw SocketError(description: "cannot listen on port \(port): errno \(errno)")
        }
        return socket
    }

    private static func connectSocket(to port: UInt16) throws -> Int32 {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw SocketError(description: "socket: \(errno)") }
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                connect(socket, generic, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            close(socket)
            throw SocketError(description: "cannot connect to port \(port): errno \(errno)")
        }
        return socket
    }

    private static func localPort(of socket: Int32) throws -> UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let found = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                getsockname(socket, generic, &length) == 0
            }
        }
        guard found else { throw SocketError(description: "getsockname: \(errno)") }
        return UInt16(bigEndian: address.sin_port)
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
