import Foundation
import LatchkeyLog
import Testing

@testable import LatchkeyHTTP

/// HTTPS served directly, checked with the `openssl` and `curl` command-line tools.
struct HTTPServerTLSTests {
    /// A fresh self-signed certificate for 127.0.0.1 in a temporary folder.
    private static func makeCertificate() throws -> (folder: String, tls: TLSConfiguration) {
        let folder = NSTemporaryDirectory() + "latchkey-tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let status = try run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", folder + "/key.pem",
                "-out", folder + "/cert.pem",
            ]
        ).status
        #expect(status == 0)
        let tls = try TLSConfiguration(
            certificateFile: folder + "/cert.pem", privateKeyFile: folder + "/key.pem")
        return (folder, tls)
    }

    private static func run(_ tool: String, _ arguments: [String]) throws -> (
        status: Int32, output: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func https_requestIsServedAndMarkedTLS() throws {
        let (folder, tls) = try Self.makeCertificate()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let server = try TestServer(
            configuration: HTTPServerConfiguration(port: 0, threadCount: 2, tls: tls))

        let (status, output) = try Self.run(
            "/usr/bin/curl",
            [
                "-s", "--max-time", "10", "--cacert", folder + "/cert.pem", "-w", " %{http_code}",
                "https://127.0.0.1:\(server.port)/secure?x=1",
            ])

        #expect(status == 0)
        #expect(output == "/secure 200")
        #expect(server.lastRequest?.isTLS == true)
        #expect(server.lastRequest?.query["x"] == "1")
    }

    @Test func plainHTTP_toTLSPort_isNotServed() throws {
        let (folder, tls) = try Self.makeCertificate()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let server = try TestServer(
            configuration: HTTPServerConfiguration(port: 0, threadCount: 2, tls: tls))
        let client = try RawClient(port: server.port)

        client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")

        #expect((try? client.readResponse()) == nil)
        #expect(server.requestCount == 0)
    }

    @Test func missingCertificateFile_isInvalidConfiguration() {
        #expect {
            try TLSConfiguration(certificateFile: "/nonexistent/cert.pem", privateKeyFile: "/x")
        } throws: { error in
            (error as? HTTPServerError)
                == HTTPServerError(
                    .invalidConfiguration, "cannot read TLS file /nonexistent/cert.pem")
        }
    }

    @Test func garbageCertificate_startThrowsStartFailed() {
        let tls = TLSConfiguration(certificateChainPEM: "not a certificate", privateKeyPEM: "no")
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(port: 0, threadCount: 2, tls: tls),
            logger: Logger(minimumLevel: .error), handler: { _ in Response(status: 200) })

        #expect {
            try server.start()
        } throws: { error in
            (error as? HTTPServerError)?.code == .startFailed
        }
    }
}
