import Foundation
import TestThreads
import Testing

/// `GET /metrics` in the Prometheus text format.
@Suite(.onBlockingThreads, .timeLimit(.minutes(2)))
struct MetricsTests {
    @Test func metrics_countRequestsTokensValidationsAndFailures() async throws {
        let world = try await SeedWorld.start()
        _ = try await world.http.get(world.url("/healthz"))
        let token = try await world.nonWebToken()
        _ = try await world.me(token: token)
        _ = try await world.me(token: "lka_unknown")
        _ = try world.post(
            "/authorize?client_id=\(world.clientID)&client_secret=\(world.clientSecret)",
            headers: ["Authorization": basic(SeedWorld.email, "wrong")])
        let (id, secret) = try world.makeClient(grants: "client_credentials")
        for _ in 0..<2 {
            #expect(
                try world.token(
                    [("grant_type", "client_credentials")], auth: .basic(id, secret!)
                ).status == 200)
        }

        let response = try await world.http.get(world.url("/metrics"))
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = response.text
        for line in [
            #"latchkey_http_requests_total{route="/healthz",method="GET",status="200"} 1"#,
            #"latchkey_http_requests_total{route="/api/v1/me",method="GET",status="401"} 1"#,
            #"latchkey_tokens_issued_total{grant_type="password"} 1"#,
            #"latchkey_tokens_issued_total{grant_type="client_credentials"} 2"#,
            #"latchkey_token_validations_total{result="valid"} 1"#,
            #"latchkey_token_validations_total{result="invalid"} 1"#,
            "latchkey_login_failures_total 1",
            #"latchkey_http_request_duration_seconds_count{route="/healthz"} 1"#,
            "# TYPE latchkey_http_request_duration_seconds histogram",
        ] {
            #expect(text.contains(line), "missing: \(line)")
        }
        #expect(text.contains("process_resident_memory_bytes "))
        // The SQLite pool: nothing held between requests, at most eight connections,
        // and no write left waiting once every answer is in.
        for line in [
            "latchkey_db_connections_in_use 0", "latchkey_db_connections_max 8",
            "latchkey_db_queued_writes 0",
        ] {
            #expect(text.contains(line + "\n"), "missing: \(line)")
        }
        #expect(text.contains("latchkey_db_connections_open "))
        #expect(text.contains("latchkey_http_open_connections "))
        // Paths are never labels: an unknown path counts as "unmatched".
        _ = try await world.http.get(world.url("/no/such/path/\(UUID().uuidString)"))
        let again = try await world.http.get(world.url("/metrics")).text
        #expect(again.contains(#"route="unmatched""#))
        #expect(!again.contains("/no/such/path"))
        #expect(!again.contains(token))
    }

    @Test func metricsPort_servesMetricsOnLoopbackAndHidesThemFromTheMainPort() async throws {
        let port = try FreePort.find()
        let world = try await SeedWorld.start(extraArguments: ["--metrics-port", "\(port)"])
        let main = try await world.http.get(world.url("/metrics"))
        #expect(main.status == 404)
        let side = try await world.http.get(URL(string: "http://127.0.0.1:\(port)/metrics")!)
        #expect(side.status == 200)
        #expect(side.text.contains("latchkey_http_requests_total"))
        let other = try await world.http.get(URL(string: "http://127.0.0.1:\(port)/healthz")!)
        #expect(other.status == 404)
    }
}
