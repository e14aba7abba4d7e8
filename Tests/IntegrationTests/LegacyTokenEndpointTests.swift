import Foundation
import TestThreads
import Testing

/// `POST /authorize/token`: every way to get it wrong, each with its exact answer.
@Suite(.onBlockingThreads, .timeLimit(.minutes(2)))
struct LegacyTokenEndpointTests {
    private func post(_ world: SeedWorld, query: String, body: String? = nil) async throws
        -> TestResponse
    {
        try world.post("/authorize/token?" + query, body: body)
    }

    private func expectError(
        _ response: TestResponse, status: Int, error: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(response.json?["error"] as? String == error, sourceLocation: sourceLocation)
        #expect(response.json?["error_description"] is String, sourceLocation: sourceLocation)
        #expect(response.headers["Cache-Control"] == "no-store", sourceLocation: sourceLocation)
    }

    @Test func parametersInTheBody_areAcceptedLikeTheQuery() async throws {
        let world = try await SeedWorld.start()
        let code = try await world.authorize(browser: try await world.signIn())
        let response = try await post(
            world, query: "",
            body: "client_id=\(world.clientID)&client_secret=\(world.clientSecret)&code=\(code)")
        #expect(response.status == 200)
        #expect((response.json?["access_token"] as? String)?.hasPrefix("lka_") == true)
    }

    @Test func reusedCode_isInvalidGrant_andRevokesTheFirstToken() async throws {
        let world = try await SeedWorld.start()
        let code = try await world.authorize(browser: try await world.signIn())
        let token = try await world.exchange(code: code)
        #expect(try await world.me(token: token).status == 200)

        let again = try await post(
            world,
            query: "client_id=\(world.clientID)&client_secret=\(world.clientSecret)&code=\(code)")
        expectError(again, status: 400, error: "invalid_grant")
        let me = try await world.me(token: token)
        #expect(me.status == 401)
        #expect(me.headers["WWW-Authenticate"]?.contains("error=\"invalid_token\"") == true)
    }

    @Test func expiredCode_isInvalidGrant() async throws {
        let world = try await SeedWorld.start(extraArguments: ["--code-lifetime", "1"])
        let code = try await world.authorize(browser: try await world.signIn())
        try await Task.sleep(for: .milliseconds(1500))
        let response = try await post(
            world,
            query: "client_id=\(world.clientID)&client_secret=\(world.clientSecret)&code=\(code)")
        expectError(response, status: 400, error: "invalid_grant")
        #expect(response.json?["error_description"] as? String == "The code has expired.")
    }

    @Test func codeOfAnotherClient_isInvalidGrant() async throws {
        let world = try await SeedWorld.start()
        let (otherID, otherSecret) = try world.server.createClient(
            name: "Other", url: "https://other.example", callbacks: ["https://other.example/cb"])
        let code = try await world.authorize(browser: try await world.signIn())
        let response = try await post(
            world, query: "client_id=\(otherID)&client_secret=\(otherSecret!)&code=\(code)")
        expectError(response, status: 400, error: "invalid_grant")
    }

    @Test func wrongSecret_isInvalidClientWithChallenge_andLeavesTheCodeUsable() async throws {
        let world = try await SeedWorld.start()
        let code = try await world.authorize(browser: try await world.signIn())
        for secret in ["lks_wrong", "", "123456"] {
            let response = try await post(
                world, query: "client_id=\(world.clientID)&client_secret=\(secret)&code=\(code)")
            expectError(response, status: 401, error: "invalid_client")
            #expect(response.headers["WWW-Authenticate"]?.hasPrefix("Basic realm=") == true)
        }
        #expect(try await world.exchange(code: code).hasPrefix("lka_"))
    }

    @Test(arguments: [
        ("client_id=CLIENT&code=CODE", 401, "invalid_client"),
        ("client_secret=SECRET&code=CODE", 401, "invalid_client"),
        ("client_id=nope&client_secret=SECRET&code=CODE", 401, "invalid_client"),
        ("client_id=CLIENT&client_secret=SECRET", 400, "invalid_request"),
        ("client_id=CLIENT&client_secret=SECRET&code=", 400, "invalid_request"),
        ("client_id=CLIENT&client_secret=SECRET&code=lkc_unknown", 400, "invalid_grant"),
        ("client_id=CLIENT&client_secret=SECRET&code=CODE&code=CODE", 400, "invalid_request"),
        (
            "client_id=CLIENT&client_id=CLIENT&client_secret=SECRET&code=CODE", 400,
            "invalid_request"
        ),
        (
            "client_id=CLIENT&client_secret=SECRET&code=CODE&grant_type=password", 400,
            "unsupported_grant_type"
        ),
        ("client_id=CLIENT&client_secret=SECRET&code=%zz", 400, "invalid_request"),
        ("client_id=CLIENT&client_secret=SECRET&code=%C3%28", 400, "invalid_request"),
    ])
    func badRequest_getsTheRFCError(query: String, status: Int, error: String) async throws {
        let world = try await SeedWorld.start()
        let code = try await world.authorize(browser: try await world.signIn())
        let filled = query.replacingOccurrences(of: "CLIENT", with: world.clientID)
            .replacingOccurrences(of: "SECRET", with: world.clientSecret)
            .replacingOccurrences(of: "CODE", with: code)
        // Malformed percent-encoding cannot travel in a Foundation URL; send it as a body.
        let response =
            filled.contains("%zz") || filled.contains("%C3%28")
            ? try await post(world, query: "", body: filled)
            : try await post(world, query: filled)
        expectError(response, status: status, error: error)
    }

    @Test func sameParameterInQueryAndBody_isInvalidRequest() async throws {
        let world = try await SeedWorld.start()
        let code = try await world.authorize(browser: try await world.signIn())
        let response = try await post(
            world,
            query: "client_id=\(world.clientID)&client_secret=\(world.clientSecret)&code=\(code)",
            body: "code=\(code)")
        expectError(response, status: 400, error: "invalid_request")
    }

    @Test func hostileSizes_areRefusedAndTheServerStaysUp() async throws {
        let world = try await SeedWorld.start()

        let huge = String(repeating: "a", count: 10 << 20)
        let tooLarge = try await post(world, query: "", body: "code=" + huge)
        #expect(tooLarge.status == 413)
        #expect(tooLarge.json?["error"] as? String == "invalid_request")

        let many = (0..<200).map { "p\($0)=1" }.joined(separator: "&")
        let tooMany = try await post(world, query: "", body: many)
        expectError(tooMany, status: 400, error: "invalid_request")

        let longCode = String(repeating: "x", count: 9000)
        let longURL = try await post(world, query: "code=\(longCode)")
        #expect(longURL.status == 414)

        let health = try await world.http.get(world.url("/healthz"))
        #expect(health.status == 200)
    }
}
