import LatchkeyStorage
import Testing

@testable import LatchkeyOAuth

struct ClientCredentialsGrantTests {
    private func request(_ fixture: Fixture, client: Client, secret: String?, scope: String? = nil)
        throws -> TokenEndpoint.Success
    {
        var pairs = [("grant_type", "client_credentials"), ("client_id", client.clientID)]
        if let secret { pairs.append(("client_secret", secret)) }
        if let scope { pairs.append(("scope", scope)) }
        let success = try fixture.tokenEndpoint.handle(fixture.form(pairs))
        // The grant queues its tokens for their commit; a client is answered only after.
        try success.issued.stored?.wait()
        return success
    }

    @Test func confidentialClient_getsAnAccessTokenWithoutUserOrRefreshToken() throws {
        let fixture = try Fixture()
        let (client, secret) = try fixture.makeClient(grantTypes: ["client_credentials"])
        let success = try request(fixture, client: client, secret: secret, scope: "profile")
        #expect(success.issued.stored != nil)
        let response = success.issued.response
        #expect(response.refreshToken == nil)
        #expect(response.expiresIn == 3600)
        #expect(response.scopes == ["profile"])
        #expect(success.issued.userID == nil)
        let stored = try #require(try fixture.stored(response.accessToken))
        #expect(stored.userID == nil)
        #expect(stored.clientRowID == client.id)
    }

    @Test func withoutScope_getsTheClientDefaults() throws {
        let fixture = try Fixture()
        let (client, secret) = try fixture.makeClient(grantTypes: ["client_credentials"])
        let response = try request(fixture, client: client, secret: secret).issued.response
        #expect(response.scopes == ["profile", "email"])
    }

    @Test func withoutScope_defaultsOutsideTheAllowedOnesAreLeftOut() throws {
        let fixture = try Fixture()
        let (client, secret) = try fixture.makeClient(
            grantTypes: ["client_credentials"], allowedScopes: ["email"])
        let response = try request(fixture, client: client, secret: secret).issued.response
        #expect(response.scopes == ["email"])
    }

    @Test func scopeOutsideTheClientsAllowedScopes_isInvalidScope() throws {
        let fixture = try Fixture()
        let (client, secret) = try fixture.makeClient(
            grantTypes: ["client_credentials"], allowedScopes: ["email"])
        expectOAuthError(.invalidScope) {
            _ = try request(fixture, client: client, secret: secret, scope: "email profile")
        }
    }

    @Test func unknownScope_isInvalidScope() throws {
        let fixture = try Fixture()
        let (client, secret) = try fixture.makeClient(grantTypes: ["client_credentials"])
        expectOAuthError(.invalidScope) {
            _ = try request(fixture, client: client, secret: secret, scope: "profile admin")
        }
    }

    @Test func whitespaceOnlyScope_isInvalidScope() throws {
        let fixture = try Fixture()
        let (client, secret) = try fixture.makeClient(grantTypes: ["client_credentials"])
        expectOAuthError(.invalidScope) {
            _ = try request(fixture, client: client, secret: secret, scope: "   ")
        }
    }

    @Test func publicClient_isUnauthorizedClient() throws {
        let fixture = try Fixture()
        let (client, _) = try fixture.makeClient(
            grantTypes: ["client_credentials"], isPublic: true)
        expectOAuthError(.unauthorizedClient) {
            _ = try request(fixture, client: client, secret: nil)
        }
    }

    @Test func clientWithTheGrantTurnedOff_isUnauthorizedClient() throws {
        let fixture = try Fixture()
        let (client, secret) = try fixture.makeClient(grantTypes: ["authorization_code"])
        expectOAuthError(.unauthorizedClient) {
            _ = try request(fixture, client: client, secret: secret)
        }
    }

    @Test func wrongSecret_isInvalidClient() throws {
        let fixture = try Fixture()
        let (client, _) = try fixture.makeClient(grantTypes: ["client_credentials"])
        expectOAuthError(.invalidClient, status: 401) {
            _ = try request(fixture, client: client, secret: fixture.clientSecret)
        }
    }
}
