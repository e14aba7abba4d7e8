import Foundation
import Testing

@testable import LatchkeyOAuth

struct IntrospectionTests {
    private static let inactive = #"{"active":false}"#

    private func tokens(_ fixture: Fixture) throws -> TokenResponse {
        try fixture.tokenEndpoint.handle(
            fixture.post([("grant_type", "authorization_code"), ("code", try fixture.code())])
        ).issued.response
    }

    private func introspect(
        _ fixture: Fixture, _ token: String, clientID: String? = nil, secret: String? = nil
    ) throws -> String {
        try Introspection(context: fixture.context).introspect(
            fixture.post([("token", token)], clientID: clientID, secret: secret)
        ).answer.serialized
    }

    @Test func activeAccessToken_answersEveryMember() throws {
        let fixture = try Fixture { $0.issuer = "https://latchkey.example" }
        let issued = try tokens(fixture)
        let now = Int(fixture.clock.clock.now().timeIntervalSince1970)
        let id = fixture.client.clientID
        #expect(
            try introspect(fixture, issued.accessToken)
                == #"{"active":true,"scope":"profile email","client_id":"\#(id)","#
                + #""username":"steve","token_type":"Bearer","exp":\#(now + 3600),"#
                + #""iat":\#(now),"sub":"\#(fixture.user.id)","aud":"\#(id)","#
                + #""iss":"https://latchkey.example"}"#)
    }

    @Test func anyConfidentialClient_mayIntrospectAnAccessToken() throws {
        let fixture = try Fixture()
        let (resourceServer, secret) = try fixture.makeClient(grantTypes: [])
        let issued = try tokens(fixture)
        let answer = try introspect(
            fixture, issued.accessToken, clientID: resourceServer.clientID, secret: secret)
        #expect(answer.contains(#""client_id":"\#(fixture.client.clientID)""#))
        #expect(answer.hasPrefix(#"{"active":true"#))
    }

    @Test func refreshToken_isActiveForItsOwnClientOnly() throws {
        let fixture = try Fixture()
        let (resourceServer, secret) = try fixture.makeClient()
        let issued = try tokens(fixture)
        let own = try introspect(fixture, issued.refreshToken!)
        #expect(own.contains(#""token_type":"refresh_token""#))
        #expect(
            try introspect(
                fixture, issued.refreshToken!, clientID: resourceServer.clientID, secret: secret)
                == Self.inactive)
    }

    @Test func clientCredentialsToken_hasTheClientAsSubject_andNoUsername() throws {
        let fixture = try Fixture()
        let (client, secret) = try fixture.makeClient(grantTypes: ["client_credentials"])
        let granted = try fixture.tokenEndpoint.handle(
            fixture.post(
                [("grant_type", "client_credentials")], clientID: client.clientID, secret: secret)
        ).issued
        try granted.stored?.wait()
        let issued = granted.response
        let answer = try introspect(fixture, issued.accessToken)
        #expect(answer.contains(#""sub":"\#(client.clientID)""#))
        #expect(!answer.contains("username"))
    }

    @Test func legacyTokenWithoutExpiry_hasNoExp() throws {
        let fixture = try Fixture()
        let (legacy, _) = try LegacyCodeExchange(context: fixture.context).exchange(
            client: fixture.client, code: try fixture.code(), redirectURI: nil)
        let answer = try introspect(fixture, legacy.accessToken)
        #expect(answer.hasPrefix(#"{"active":true"#))
        #expect(!answer.contains(#""exp""#))
    }

    @Test func expiredRevokedUnknownOrMalformed_isExactlyActiveFalse() throws {
        let fixture = try Fixture()
        let revoked = try tokens(fixture)
        try fixture.context.storage.revokeToken(
            hash: storageHash(of: revoked.accessToken), at: fixture.clock.clock.now())
        let expiring = try tokens(fixture)
        fixture.clock.advance(by: 3600)

        for token in [
            revoked.accessToken, expiring.accessToken, CredentialKind.accessToken.generate(),
            "lka_", "garbage", String(repeating: "z", count: 50_000),
            try fixture.code(),
        ] {
            #expect(try introspect(fixture, token) == Self.inactive)
        }
    }

    @Test func publicClient_isInvalidClient() throws {
        let fixture = try Fixture()
        let (client, _) = try fixture.makeClient(isPublic: true)
        let issued = try tokens(fixture)
        expectOAuthError(.invalidClient, status: 401) {
            _ = try Introspection(context: fixture.context).introspect(
                fixture.form([("token", issued.accessToken), ("client_id", client.clientID)]))
        }
    }

    @Test func unauthenticated_isInvalidClient() throws {
        let fixture = try Fixture()
        let issued = try tokens(fixture)
        expectOAuthError(.invalidClient, status: 401) {
            _ = try Introspection(context: fixture.context).introspect(
                fixture.form([("token", issued.accessToken)]))
        }
    }

    @Test func missingToken_isInvalidRequest() throws {
        let fixture = try Fixture()
        expectOAuthError(.invalidRequest) {
            _ = try Introspection(context: fixture.context).introspect(fixture.post([]))
        }
    }

    @Test(arguments: ["refresh_token", "access_token", "whatever"])
    func anyHint_isIgnored(hint: String) throws {
        let fixture = try Fixture()
        let issued = try tokens(fixture)
        let answer = try Introspection(context: fixture.context).introspect(
            fixture.post([("token", issued.accessToken), ("token_type_hint", hint)])
        ).answer.serialized
        #expect(answer.hasPrefix(#"{"active":true"#))
    }
}
