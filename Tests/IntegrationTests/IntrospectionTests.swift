import Foundation
import TestThreads
import Testing

/// `POST /oauth/introspect` (RFC 7662) over real HTTP.
///
/// Serialized: every test starts a server of its own, and run side by side with the other
/// suites they would start dozens at once on a small machine.
@Suite(.onBlockingThreads, .serialized, .timeLimit(.minutes(3)))
struct IntrospectionTests {
    private func introspect(_ world: SeedWorld, _ token: String, auth: ClientAuth?) throws
        -> TestResponse
    {
        try world.oauthPost("/oauth/introspect", [("token", token)], auth: auth)
    }

    @Test(arguments: ConfidentialMethod.allCases)
    func activeToken_answersEveryMember(method: ConfidentialMethod) async throws {
        let world = try await SeedWorld.start()
        let (resourceServer, secret) = try world.makeClient(grants: "client_credentials")
        let before = Int(Date().timeIntervalSince1970)
        let tokens = try await world.codeGrantTokens()
        let accessToken = try #require(tokens["access_token"] as? String)

        let response = try introspect(
            world, accessToken, auth: method.auth(resourceServer, secret!))

        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(response.headers["Cache-Control"] == "no-store")
        #expect(response.headers["Pragma"] == "no-cache")
        let json = try #require(response.json)
        #expect(json["active"] as? Bool == true)
        #expect(json["scope"] as? String == "profile email")
        #expect(json["client_id"] as? String == world.clientID)
        #expect(json["username"] as? String == SeedWorld.username)
        #expect(json["token_type"] as? String == "Bearer")
        let iat = try #require(json["iat"] as? Int)
        #expect(iat >= before - 1 && iat <= before + 60)
        #expect(json["exp"] as? Int == iat + 3600)
        #expect(json["sub"] is String)
        #expect(json["aud"] as? String == world.clientID)
        #expect(json["iss"] as? String == world.base)
    }

    /// The server keeps clients it has read in memory (on SQLite); a client deleted by
    /// the command line, another process, must be refused by the very next request.
    @Test func callerDeletedFromTheCommandLine_isRefusedAtOnce() async throws {
        let world = try await SeedWorld.start()
        let (resourceServer, secret) = try world.makeClient(grants: "client_credentials")
        let caller = ClientAuth.basic(resourceServer, secret!)
        let accessToken = try await world.nonWebToken()
        #expect(try introspect(world, accessToken, auth: caller).json?["active"] as? Bool == true)
        let issued = try world.oauthPost(
            "/oauth/token", [("grant_type", "client_credentials")], auth: caller)
        #expect(issued.status == 200)

        #expect(try world.server.run(["client", "delete", resourceServer]).status == 0)

        let refused = try introspect(world, accessToken, auth: caller)
        #expect(refused.status == 401)
        #expect(refused.json?["error"] as? String == "invalid_client")
        let notIssued = try world.oauthPost(
            "/oauth/token", [("grant_type", "client_credentials")], auth: caller)
        #expect(notIssued.status == 401)
        #expect(notIssued.json?["error"] as? String == "invalid_client")
        // The seed client, untouched, still introspects.
        let seed = try introspect(world, accessToken, auth: world.seedBasic)
        #expect(seed.json?["active"] as? Bool == true)
    }

    @Test func revokedThenIntrospected_isExactlyActiveFalse() async throws {
        let world = try await SeedWorld.start()
        let tokens = try await world.codeGrantTokens()
        let accessToken = try #require(tokens["access_token"] as? String)
        let revoke = try world.oauthPost(
            "/oauth/revoke", [("token", accessToken)], auth: world.seedBasic)
        #expect(revoke.status == 200)

        let response = try introspect(world, accessToken, auth: world.seedBasic)

        #expect(response.status == 200)
        #expect(response.text == #"{"active":false}"#)
        #expect(response.headers["Cache-Control"] == "no-store")
    }

    @Test(arguments: [
        "lka_unknown", "lka_" + String(repeating: "A", count: 49), "garbage", "",
        String(repeating: "t", count: 500_000),
    ])
    func unknownOrMalformed_isExactlyActiveFalse(token: String) async throws {
        let world = try await SeedWorld.start()
        let response = try introspect(world, token, auth: world.seedBasic)
        if token.isEmpty {
            // An empty parameter counts as omitted (RFC 6749 §3.2).
            expectOAuthError(response, status: 400, error: "invalid_request")
        } else {
            #expect(response.status == 200)
            #expect(response.text == #"{"active":false}"#)
        }
    }

    @Test func refreshToken_ofAnotherClient_isInactive() async throws {
        let world = try await SeedWorld.start()
        let tokens = try await world.codeGrantTokens()
        let refreshToken = try #require(tokens["refresh_token"] as? String)
        let (otherID, otherSecret) = try world.makeClient()

        let own = try introspect(world, refreshToken, auth: world.seedBasic)
        #expect(own.json?["active"] as? Bool == true)
        #expect(own.json?["token_type"] as? String == "refresh_token")
        let foreign = try introspect(world, refreshToken, auth: .post(otherID, otherSecret!))
        #expect(foreign.text == #"{"active":false}"#)
    }

    // MARK: The error table

    @Test func publicClient_isRefused401() async throws {
        let world = try await SeedWorld.start()
        let tokens = try await world.codeGrantTokens()
        let accessToken = try #require(tokens["access_token"] as? String)
        let (publicID, _) = try world.makeClient(isPublic: true)

        let viaBody = try introspect(world, accessToken, auth: .publicClient(publicID))
        expectOAuthError(viaBody, status: 401, error: "invalid_client", challenge: true)
        let viaEmptyBasic = try introspect(world, accessToken, auth: .header(basic(publicID, "")))
        expectOAuthError(viaEmptyBasic, status: 401, error: "invalid_client", challenge: true)
    }

    @Test func errors_eachWithItsStatusAndHeaders() async throws {
        let world = try await SeedWorld.start()
        let tokens = try await world.codeGrantTokens()
        let accessToken = try #require(tokens["access_token"] as? String)

        let anonymous = try introspect(world, accessToken, auth: nil)
        expectOAuthError(anonymous, status: 401, error: "invalid_client", challenge: true)

        let wrongSecret = try introspect(
            world, accessToken,
            auth: .basic(world.clientID, "lks_" + String(repeating: "C", count: 49)))
        expectOAuthError(wrongSecret, status: 401, error: "invalid_client", challenge: true)

        let missing = try world.oauthPost("/oauth/introspect", [], auth: world.seedBasic)
        expectOAuthError(missing, status: 400, error: "invalid_request")

        let inQuery = try world.oauthPost(
            "/oauth/introspect", [("token", accessToken)], auth: nil,
            query: "client_id=\(world.clientID)&client_secret=\(world.clientSecret)")
        expectOAuthError(inQuery, status: 400, error: "invalid_request")

        let repeated = try world.oauthPost(
            "/oauth/introspect", [("token", accessToken), ("token", "lka_x")],
            auth: world.seedBasic)
        expectOAuthError(repeated, status: 400, error: "invalid_request")

        let twoMethods = try world.oauthPost(
            "/oauth/introspect", [("token", accessToken), ("client_secret", world.clientSecret)],
            auth: world.seedBasic)
        expectOAuthError(twoMethods, status: 400, error: "invalid_request")

        let get = try PlainSocketClient.send(method: "GET", url: world.url("/oauth/introspect"))
        #expect(get.status == 405)
    }
}
