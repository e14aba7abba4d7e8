import Foundation
import TestThreads
import Testing

/// `POST /oauth/revoke` (RFC 7009) over real HTTP.
///
/// Serialized: every test starts a server of its own, and run side by side with the other
/// suites they would start dozens at once on a small machine.
@Suite(.onBlockingThreads, .serialized, .timeLimit(.minutes(3)))
struct RevocationTests {
    private func expectRevokeAnswer(
        _ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == 200, sourceLocation: sourceLocation)
        #expect(response.body.isEmpty, sourceLocation: sourceLocation)
        #expect(response.headers["Cache-Control"] == "no-store", sourceLocation: sourceLocation)
        #expect(response.headers["Pragma"] == "no-cache", sourceLocation: sourceLocation)
    }

    private func revoke(
        _ world: SeedWorld, _ token: String, hint: String? = nil, auth: ClientAuth?
    ) throws -> TestResponse {
        var pairs = [("token", token)]
        if let hint { pairs.append(("token_type_hint", hint)) }
        return try world.oauthPost("/oauth/revoke", pairs, auth: auth)
    }

    @Test(arguments: ConfidentialMethod.allCases)
    func accessToken_isRevoked_andTheAPIRefusesIt(method: ConfidentialMethod) async throws {
        let world = try await SeedWorld.start()
        let tokens = try await world.codeGrantTokens()
        let accessToken = try #require(tokens["access_token"] as? String)
        #expect(try await world.me(token: accessToken).status == 200)

        let response = try revoke(
            world, accessToken, hint: "access_token",
            auth: method.auth(world.clientID, world.clientSecret))

        expectRevokeAnswer(response)
        #expect(try await world.me(token: accessToken).status == 401)
        let log = try await world.server.waitForLog(containing: "oauth.token.revoked")
        #expect(!log.contains(accessToken))
    }

    @Test func refreshToken_isRevoked_withItsAccessTokens_evenWithAMisleadingHint() async throws {
        let world = try await SeedWorld.start()
        let tokens = try await world.codeGrantTokens()
        let accessToken = try #require(tokens["access_token"] as? String)
        let refreshToken = try #require(tokens["refresh_token"] as? String)

        expectRevokeAnswer(
            try revoke(world, refreshToken, hint: "access_token", auth: world.seedBasic))

        #expect(try await world.me(token: accessToken).status == 401)
        let refresh = try world.token(
            [("grant_type", "refresh_token"), ("refresh_token", refreshToken)],
            auth: world.seedBasic)
        expectOAuthError(refresh, status: 400, error: "invalid_grant")
    }

    @Test func legacyToken_isRevoked() async throws {
        let world = try await SeedWorld.start()
        let token = try await world.nonWebToken()
        expectRevokeAnswer(try revoke(world, token, auth: world.seedBasic))
        #expect(try await world.me(token: token).status == 401)
    }

    @Test func tokenOfAnotherClient_answers200_butStaysValid() async throws {
        let world = try await SeedWorld.start()
        let tokens = try await world.codeGrantTokens()
        let accessToken = try #require(tokens["access_token"] as? String)
        let (otherID, otherSecret) = try world.makeClient()

        expectRevokeAnswer(try revoke(world, accessToken, auth: .basic(otherID, otherSecret!)))
        #expect(try await world.me(token: accessToken).status == 200)
    }

    @Test(arguments: [
        "lka_unknown", "lka_" + String(repeating: "A", count: 49), "not a token", "lkc_x",
        String(repeating: "t", count: 500_000),
    ])
    func unknownOrMalformedToken_answers200(token: String) async throws {
        let world = try await SeedWorld.start()
        expectRevokeAnswer(try revoke(world, token, auth: world.seedBasic))
    }

    @Test func publicClient_revokesItsOwnRefreshToken() async throws {
        let world = try await SeedWorld.start()
        let (publicID, _) = try world.makeClient(isPublic: true)
        let code = try world.storePKCECode(
            clientID: publicID, challenge: OAuthTokenEndpointTests.challenge)
        let tokens = try world.token(
            [
                ("grant_type", "authorization_code"), ("code", code),
                ("code_verifier", OAuthTokenEndpointTests.verifier),
            ], auth: .publicClient(publicID))
        let accessToken = try #require(tokens.json?["access_token"] as? String)
        let refreshToken = try #require(tokens.json?["refresh_token"] as? String)

        expectRevokeAnswer(try revoke(world, refreshToken, auth: .publicClient(publicID)))
        #expect(try await world.me(token: accessToken).status == 401)
    }

    // MARK: The error table

    @Test func errors_eachWithItsStatusAndHeaders() async throws {
        let world = try await SeedWorld.start()
        let tokens = try await world.codeGrantTokens()
        let accessToken = try #require(tokens["access_token"] as? String)

        let hint = try revoke(world, accessToken, hint: "id_token", auth: world.seedBasic)
        expectOAuthError(hint, status: 400, error: "unsupported_token_type")

        let missing = try world.oauthPost("/oauth/revoke", [], auth: world.seedBasic)
        expectOAuthError(missing, status: 400, error: "invalid_request")

        let repeated = try world.oauthPost(
            "/oauth/revoke", [("token", accessToken), ("token", accessToken)],
            auth: world.seedBasic)
        expectOAuthError(repeated, status: 400, error: "invalid_request")

        let inQuery = try world.oauthPost(
            "/oauth/revoke", [], auth: world.seedBasic, query: "token=\(accessToken)")
        expectOAuthError(inQuery, status: 400, error: "invalid_request")

        let wrongSecret = try revoke(
            world, accessToken,
            auth: .basic(world.clientID, "lks_" + String(repeating: "B", count: 49)))
        expectOAuthError(wrongSecret, status: 401, error: "invalid_client", challenge: true)

        let anonymous = try revoke(world, accessToken, auth: nil)
        expectOAuthError(anonymous, status: 401, error: "invalid_client", challenge: true)

        let get = try PlainSocketClient.send(method: "GET", url: world.url("/oauth/revoke"))
        #expect(get.status == 405)
        #expect(get.json?["error"] as? String == "invalid_request")

        // Nothing above revoked it.
        #expect(try await world.me(token: accessToken).status == 200)
    }
}
