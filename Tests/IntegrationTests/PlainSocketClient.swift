import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One HTTP/1.1 exchange over a plain loopback socket, written exactly as given.
///
/// Foundation's `URL` repairs what these tests must send broken (`%zz`, non-UTF-8
/// escapes), and the token and non-web tests want the bytes on the wire to be the seed's
/// own. The request is sent with `Connection: close`, so the response is everything read
/// until the server closes.
enum PlainSocketClient {
    static func send(
        method: String, url: URL, headers: [String: String] = [:], body: Data? = nil,
        rawTarget: String? = nil
    ) throws -> TestResponse {
        guard let port = url.port else { throw HarnessError("\(url) names no port") }
        var target = url.path.isEmpty ? "/" : url.path
        if let query = url.query(percentEncoded: true) { target += "?" + query }
        // A target Foundation's URL would repair, such as a malformed escape.
        if let rawTarget { target = rawTarget }

        var head =
            "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(body?.count ?? 0)\r\n\r\n"
        let raw = try exchange(port: UInt16(port), request: Data(head.utf8) + (body ?? Data()))

        return try response(from: raw, url: url)
    }

    private static func exchange(port: UInt16, request: Data) throws -> Data {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw HarnessError("socket() failed: errno \(errno)") }
        defer { close(socket) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw HarnessError("connect() failed: errno \(errno)") }

        try request.withUnsafeBytes { buffer in
            var sent = 0
            while sent < buffer.count {
                let count = Glibc.send(socket, buffer.baseAddress! + sent, buffer.count - sent, 0)
                guard count > 0 else { throw HarnessError("send() failed: errno \(errno)") }
                sent += count
            }
        }

        var received = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(socket, &chunk, chunk.count, 0)
            if count < 0 { throw HarnessError("recv() failed: errno \(errno)") }
            if count == 0 { break }
            received.append(contentsOf: chunk[0..<count])
        }
        return received
    }

    private static func response(from raw: Data, url: URL) throws -> TestResponse {
        guard let split = raw.range(of: Data("\r\n\r\n".utf8)) else {
            throw HarnessError("no complete response head in \(raw.count) bytes")
        }
        let lines = String(decoding: raw[..<split.lowerBound], as: UTF8.self)
            .components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw HarnessError("bad status line \(lines[0])")
        }
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            fields[name] = fields[name].map { "\($0), \(value)" } ?? value
        }
        return TestResponse(
            status: status, headers: HeaderFields(fields), body: Data(raw[split.upperBound...]),
            url: url)
    }
}
