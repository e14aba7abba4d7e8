import Testing

@testable import LatchkeyOAuth

/// A store that cannot write answers `server_error`, with the cause kept for the log
/// and never shown to the client.
struct StorageFailureTests {
    private func failing(_ fixture: Fixture) -> OAuthContext {
        var context = fixture.context
        context.storage = FailingStorage(fixture.context.storage)
        return context
    }

    private func expectServerError(_ body: () throws -> Void) {
        let error = expectOAuthError(.serverError, status: 500, body)
        #expect(error?.description == "The server could not complete the request.")
        #expect(error?.detail?.contains("disk on fire") == true)
    }

    @Test func codeGrant_whenTokensCannotBeStored_isServerError() throws {
        let fixture = try Fixture()
        let code = try fixture.code()
        expectServerError {
            _ = try TokenEndpoint(context: failing(fixture)).handle(
                fixture.post([("grant_type", "authorization_code"), ("code", code)]))
        }
    }

    @Test func refreshGrant_whenRotationFails_isServerError_andTheTokenStaysUsable() throws {
        let fixture = try Fixture()
        let issued = try fixture.tokenEndpoint.handle(
            fixture.post([("grant_type", "authorization_code"), ("code", try fixture.code())])
        ).issued.response
        let refresh = [("grant_type", "refresh_token"), ("refresh_token", issued.refreshToken!)]
        expectServerError {
            _ = try TokenEndpoint(context: failing(fixture)).handle(fixture.post(refresh))
        }
        #expect(try fixture.tokenEndpoint.handle(fixture.post(refresh)).issued.userID != nil)
    }

    /// The password is consent, recorded with the tokens: when they cannot be stored,
    /// the user's account page must not list the application either.
    @Test func passwordGrant_whenTokensCannotBeStored_recordsNoGrant() throws {
        let fixture = try Fixture()
        let request = fixture.post([
            ("grant_type", "password"), ("username", "steve"), ("password", Fixture.password),
        ])
        expectServerError {
            _ = try TokenEndpoint(context: failing(fixture)).handle(request)
        }
        #expect(
            try fixture.context.storage.grant(
                userID: fixture.user.id, clientRowID: fixture.client.id) == nil)
    }

    @Test func nonWebFlow_whenTheTokenCannotBeStored_recordsNoGrant() throws {
        let fixture = try Fixture()
        expectServerError {
            _ = try NonWebFlow(context: failing(fixture)).authorize(
                client: fixture.client, login: "steve", password: Fixture.password,
                remoteAddress: "198.51.100.1")
        }
        #expect(
            try fixture.context.storage.grant(
                userID: fixture.user.id, clientRowID: fixture.client.id) == nil)
        // With a store that works, the same sign-in records both.
        _ = try NonWebFlow(context: fixture.context).authorize(
            client: fixture.client, login: "steve", password: Fixture.password,
            remoteAddress: "198.51.100.1")
        #expect(
            try fixture.context.storage.grant(
                userID: fixture.user.id, clientRowID: fixture.client.id)?.scopes
                == fixture.client.defaultScopes)
    }

    @Test func revocation_whenTheStoreFails_isServerError() throws {
        let fixture = try Fixture()
        let issued = try fixture.tokenEndpoint.handle(
            fixture.post([("grant_type", "authorization_code"), ("code", try fixture.code())])
        ).issued.response
        expectServerError {
            _ = try Revocation(context: failing(fixture)).revoke(
                fixture.post([("token", issued.accessToken)]))
        }
        #expect(try fixture.isActive(issued.accessToken))
    }
}
