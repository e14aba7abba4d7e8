import Foundation
import TestThreads
import Testing

/// The seed's non-web flow (`POST /authorize` with HTTP Basic): failures and lockout.
@Suite(.onBlockingThreads, .timeLimit(.minutes(2)))
struct NonWebFlowTests {
    private func post(
        _ world: SeedWorld, query: String? = nil, authorization: String?
    ) async throws -> TestResponse {
        try world.post(
            "/authorize?"
                + (query ?? "client_id=\(world.clientID)&client_secret=\(world.clientSecret)"),
            headers: authorization.map { ["Authorization": $0] } ?? [:])
    }

    @Test(
        arguments: [
            (basic(SeedWorld.email, "wrong"), "invalid_grant"),
            (basic("nobody@example.com", SeedWorld.password), "invalid_grant"),
            (nil, "invalid_request"),
            ("Basic !!!not-base64", "invalid_request"),
            ("Bearer lka_something", "invalid_request"),
        ] as [(String?, String)])
    func badUserCredentials_are401WithBasicChallenge(authorization: String?, error: String)
        async throws
    {
        let world = try await SeedWorld.start()
        let response = try await post(world, authorization: authorization)
        #expect(response.status == 401)
        #expect(response.json?["error"] as? String == error)
        #expect(response.headers["WWW-Authenticate"]?.hasPrefix("Basic realm=\"latchkey\"") == true)
    }

    @Test(arguments: [
        "client_id=CLIENT&client_secret=wrong", "client_id=CLIENT", "client_secret=SECRET", "",
    ])
    func badClientCredentials_are401InvalidClient(query: String) async throws {
        let world = try await SeedWorld.start()
        let filled = query.replacingOccurrences(of: "CLIENT", with: world.clientID)
            .replacingOccurrences(of: "SECRET", with: world.clientSecret)
        let response = try await post(
            world, query: filled, authorization: basic(SeedWorld.email, SeedWorld.password))
        #expect(response.status == 401)
        #expect(response.json?["error"] as? String == "invalid_client")
        #expect(response.headers["WWW-Authenticate"] != nil)
    }

    @Test func tenWrongPasswords_lockTheAccount_evenForTheRightPassword() async throws {
        let world = try await SeedWorld.start()
        for _ in 0..<10 {
            let response = try await post(world, authorization: basic(SeedWorld.username, "wrong"))
            #expect(response.status == 401)
        }
        let locked = try await post(
            world, authorization: basic(SeedWorld.email, SeedWorld.password))
        #expect(locked.status == 429)
        #expect(locked.headers["Retry-After"] == "900")
        #expect(locked.json?["error"] as? String == "invalid_request")
    }

    @Test func passwordGrantTurnedOff_closesTheNonWebFlow() async throws {
        let world = try await SeedWorld.start()
        let (clientID, secret) = try world.server.createClient(
            name: "Web only", url: "https://web.example", callbacks: ["https://web.example/cb"],
            extraArguments: ["--grants", "authorization_code,refresh_token"])
        let response = try await post(
            world, query: "client_id=\(clientID)&client_secret=\(secret!)",
            authorization: basic(SeedWorld.email, SeedWorld.password))
        #expect(response.status == 400)
        #expect(response.json?["error"] as? String == "unauthorized_client")
    }
}

/// Behind a reverse proxy every request comes from the proxy's address; with
/// `--trust-forwarded-headers` the lockout counts the clients named in X-Forwarded-For.
@Suite(.onBlockingThreads, .timeLimit(.minutes(2)))
struct ForwardedHeaderTests {
    private func failFifty(_ world: SeedWorld, forwardedFor address: String) throws {
        for attempt in 0..<50 {
            let response = try world.post(
                "/authorize?client_id=\(world.clientID)&client_secret=\(world.clientSecret)",
                headers: [
                    "Authorization": basic("nobody\(attempt)@example.com", "wrong"),
                    "X-Forwarded-For": "203.0.113.250, \(address)",
                ])
            #expect(response.status == 401)
        }
    }

    @Test func trusted_lockoutFollowsTheForwardedAddress() async throws {
        let world = try await SeedWorld.start(extraArguments: ["--trust-forwarded-headers", "true"])
        try failFifty(world, forwardedFor: "198.51.100.1")
        let locked = try world.post(
            "/authorize?client_id=\(world.clientID)&client_secret=\(world.clientSecret)",
            headers: [
                "Authorization": basic(SeedWorld.email, SeedWorld.password),
                "X-Forwarded-For": "198.51.100.1",
            ])
        #expect(locked.status == 429)
        let other = try world.post(
            "/authorize?client_id=\(world.clientID)&client_secret=\(world.clientSecret)",
            headers: [
                "Authorization": basic(SeedWorld.email, SeedWorld.password),
                "X-Forwarded-For": "198.51.100.2",
            ])
        #expect(other.status == 200)
    }

    @Test func untrusted_headerIsIgnored() async throws {
        let world = try await SeedWorld.start()
        try failFifty(world, forwardedFor: "198.51.100.1")
        let fromElsewhere = try world.post(
            "/authorize?client_id=\(world.clientID)&client_secret=\(world.clientSecret)",
            headers: [
                "Authorization": basic(SeedWorld.email, SeedWorld.password),
                "X-Forwarded-For": "198.51.100.2",
            ])
        #expect(fromElsewhere.status == 429)
    }
}
