import Foundation

extension TestServer {
    /// Everything the server has written to standard error and output so far, across
    /// restarts.
    func logText() -> String {
        logText(from: 0)
    }

    /// Waits until the log contains `text` and returns the log; the request line is
    /// written after the response goes out, so a test that just got its answer may
    /// have to wait a moment for it. Throws with the log if it never appears.
    @discardableResult
    func waitForLog(containing text: String, timeout: Duration = .seconds(5)) async throws
        -> String
    {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let log = logText()
            if log.contains(text) {
                return log
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError(
            "the server log has no \"\(text)\" after \(timeout); it has:\n"
                + logText())
    }

    /// The port from the first `msg="server started"` line, which `serve --port 0`
    /// writes once it listens (`... msg="server started" http.host=127.0.0.1
    /// http.port=40123`).
    static func announcedPort(in log: String) -> UInt16? {
        for line in log.split(separator: "\n") where line.contains(#" msg="server started""#) {
            let fields = line.split(separator: " ")
            if let field = fields.first(where: { $0.hasPrefix("http.port=") }),
                let port = UInt16(field.dropFirst("http.port=".count)), port != 0
            {
                return port
            }
        }
        return nil
    }

    func logText(from offset: UInt64) -> String {
        guard let handle = try? FileHandle(forReadingFrom: logFile) else {
            return ""
        }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: offset)) != nil,
            let data = try? handle.readToEnd()
        else {
            return ""
        }
        return String(decoding: data, as: UTF8.self)
    }
}
