import Foundation
import TestThreads
import Testing

/// HTTPS served by Latchkey itself (`--tls-cert`, `--tls-key`), with a throwaway
/// self-signed certificate made by the `openssl` command and requests sent by `curl`.
@Suite(.onBlockingThreads, .serialized, .timeLimit(.minutes(2)))
struct TLSTests {
    private static let openssl = URL(fileURLWithPath: "/usr/bin/openssl")

    private func certificate(in folder: URL) throws -> (certificate: String, key: String) {
        let certificate = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        let made = try CommandRunner.run(
            Self.openssl,
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext",
                "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate,
            ])
        #expect(made.status == 0, "openssl: \(made.stderr)")
        return (certificate, key)
    }

    /// `curl -sk -i` with extra arguments; returns the status line's code and the output.
    private func curl(_ arguments: [String]) throws -> (status: Int, output: String) {
        let curl = try #require(Curl.url, "curl is missing")
        let result = try CommandRunner.run(curl, ["-sk", "-i"] + arguments)
        #expect(result.status == 0, "curl: \(result.stderr)")
        let statusLine = result.stdout.split(separator: "\r\n").first ?? ""
        let code = statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return (code, result.stdout)
    }

    @Test func seedNonWebFlow_overHTTPS_withSecureCookies() async throws {
        let server = try TestServer()
        let (certificate, key) = try certificate(in: server.folder)
        try server.createUser(
            username: "steve", email: SeedWorld.email, password: SeedWorld.password)
        let (clientID, secret) = try server.createClient(
            name: "Goat", url: SeedWorld.mainURL, callbacks: [SeedWorld.callback])
        try await server.start(extraArguments: ["--tls-cert", certificate, "--tls-key", key])
        let base = "https://127.0.0.1:\(server.baseURL.port!)"

        let token = try curl([
            "-u", "\(SeedWorld.email):\(SeedWorld.password)", "-X", "POST",
            "\(base)/authorize?client_id=\(clientID)&client_secret=\(secret!)",
        ])
        #expect(token.status == 200)
        let accessToken = try #require(
            token.output.firstMatch(of: /"access_token":"(lka_[A-Za-z0-9_-]+)"/)?.output.1)

        let me = try curl(["\(base)/api/v1/me?access_token=\(accessToken)"])
        #expect(me.status == 200)
        #expect(me.output.contains(#""username":"steve""#))

        let login = try curl(["\(base)/login"])
        #expect(login.output.contains("HttpOnly; SameSite=Lax; Secure"))

        let metadata = try curl(["\(base)/.well-known/oauth-authorization-server"])
        #expect(metadata.output.contains(#""issuer":"\#(base)""#))
    }

    @Test func plainHTTP_toTheTLSPort_getsNoPage() async throws {
        let server = try TestServer()
        let (certificate, key) = try certificate(in: server.folder)
        try await server.start(extraArguments: ["--tls-cert", certificate, "--tls-key", key])
        let curl = try #require(Curl.url)
        let result = try CommandRunner.run(
            curl, ["-s", "-o", "/dev/null", "-w", "%{http_code}", "\(server.baseURL)/healthz"])
        #expect(result.stdout != "200")
    }

    @Test(arguments: [
        ["--tls-cert", "/nonexistent.pem", "--tls-key", "/nonexistent.pem"],
        ["--tls-cert", "/etc/hostname"],
    ])
    func badTLSOptions_exitTwoWithOneLine(arguments: [String]) throws {
        let server = try TestServer()
        let result = try server.run(["serve", "--port", "0"] + arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--tls-"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}
