import Foundation
import TestThreads
import Testing

/// The example systemd unit and nginx configuration in `deploy/` are checked by the tools
/// that would run them, and the server starts with the unit's settings.
@Suite(.onBlockingThreads, .serialized, .timeLimit(.minutes(2)))
struct DeployExamplesTests {
    /// The repository folder, found from this file's path.
    private static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func nginxExample_passesNginxConfigurationTest() throws {
        let nginx = URL(fileURLWithPath: "/usr/sbin/nginx")
        try #require(FileManager.default.isExecutableFile(atPath: nginx.path), "nginx is missing")
        let folder = try CommandRunner.makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }

        // A throwaway certificate stands in for the real one; everything else is as shipped.
        let certificate = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        let made = try CommandRunner.run(
            URL(fileURLWithPath: "/usr/bin/openssl"),
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-days", "1", "-subj", "/CN=id.example.com", "-keyout", key, "-out", certificate,
            ])
        #expect(made.status == 0)
        let example = try String(
            contentsOf: Self.repository.appendingPathComponent("deploy/nginx-latchkey.conf"),
            encoding: .utf8)
        let site = example.replacingOccurrences(
            of: "/etc/ssl/certs/id.example.com.pem", with: certificate
        ).replacingOccurrences(of: "/etc/ssl/private/id.example.com.key", with: key)
        try site.write(
            to: folder.appendingPathComponent("site.conf"), atomically: true, encoding: .utf8)
        let main = """
            pid \(folder.path)/nginx.pid;
            error_log \(folder.path)/error.log;
            events {}
            http { include \(folder.path)/site.conf; }
            """
        try main.write(
            to: folder.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)

        let result = try CommandRunner.run(
            nginx, ["-t", "-c", folder.appendingPathComponent("nginx.conf").path])
        #expect(result.status == 0, "nginx -t: \(result.stderr)")
        #expect(result.stderr.contains("test is successful"))
    }

    @Test func systemdUnit_verifiesAndItsSettingsStartTheServer() async throws {
        let unit = try String(
            contentsOf: Self.repository.appendingPathComponent("deploy/latchkey.service"),
            encoding: .utf8)
        let analyze = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        if FileManager.default.isExecutableFile(atPath: analyze.path) {
            let folder = try CommandRunner.makeTemporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let local = unit.replacingOccurrences(
                of: "/usr/local/bin/latchkey", with: try LatchkeyBinary.url.path)
            let copy = folder.appendingPathComponent("latchkey.service")
            try local.write(to: copy, atomically: true, encoding: .utf8)
            let verified = try CommandRunner.run(analyze, ["verify", copy.path])
            #expect(verified.status == 0, "systemd-analyze: \(verified.stderr)")
        }

        // The unit's environment, with a test database and a free port.
        var environment: [String: String] = [:]
        for line in unit.split(separator: "\n") where line.hasPrefix("Environment=") {
            let pair = line.dropFirst("Environment=".count).split(separator: "=", maxSplits: 1)
            environment[String(pair[0])] = String(pair[1])
        }
        #expect(environment["LATCHKEY_PUBLIC_URL"] == "https://id.example.com")
        let server = try TestServer()
        try await server.start(environment: environment)
        let ready = try await HTTPClient().get(server.url("/readyz"))
        #expect(ready.status == 200)
        let metadata = try await HTTPClient().get(
            server.url("/.well-known/oauth-authorization-server"))
        #expect(metadata.json?["issuer"] as? String == "https://id.example.com")
        #expect(try await server.stop() == 0)
    }
}
