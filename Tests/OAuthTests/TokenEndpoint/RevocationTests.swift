import Testing

@testable import LatchkeyOAuth

struct RevocationTests {
    private func tokens(_ fixture: Fixture) throws -> TokenResponse {
        try fixture.tokenEndpoint.handle(
            fixture.post([("grant_type", "authorization_code"), ("code", try fixture.code())])
        ).issued.response
    }

    @discardableResult
    private func revoke(
        _ fixture: Fixture, _ token: String, hint: String? = nil, clientID: String? = nil,
        secret: String? = nil, audit: AuditRecorder = AuditRecorder()
    ) throws -> Revocation.Outcome {
        var pairs = [("token", token)]
        if let hint { pairs.append(("token_type_hint", hint)) }
        return try Revocation(context: fixture.context, audit: audit.sink).revoke(
            fixture.post(pairs, clientID: clientID, secret: secret))
    }

    @Test(arguments: [nil, "access_token", "refresh_token"])
    func accessToken_isRevoked_whateverTheHint_andTheRefreshTokenStays(hint: String?) throws {
        let fixture = try Fixture()
        let issued = try tokens(fixture)
        let outcome = try revoke(fixture, issued.accessToken, hint: hint)
        #expect(outcome.revoked)
        #expect(try !fixture.isActive(issued.accessToken))
        #expect(try fixture.isActive(issued.refreshToken!))
    }

    @Test(arguments: [nil, "access_token", "refresh_token"])
    func refreshToken_isRevoked_withEveryAccessTokenOfItsFamily(hint: String?) throws {
        let fixture = try Fixture()
        let first = try tokens(fixture)
        let rotated = try fixture.tokenEndpoint.handle(
            fixture.post([("grant_type", "refresh_token"), ("refresh_token", first.refreshToken!)])
        ).issued.response
        let audit = AuditRecorder()

        try revoke(fixture, rotated.refreshToken!, hint: hint, audit: audit)

        for token in [first.accessToken, rotated.accessToken, rotated.refreshToken!] {
            #expect(try !fixture.isActive(token))
        }
        #expect(audit.events.count == 1)
    }

    @Test func legacyToken_isRevoked() throws {
        let fixture = try Fixture()
        let (legacy, _) = try LegacyCodeExchange(context: fixture.context).exchange(
            client: fixture.client, code: try fixture.code(), redirectURI: nil)
        try revoke(fixture, legacy.accessToken)
        #expect(try !fixture.isActive(legacy.accessToken))
    }

    @Test func tokenOfAnotherClient_isNotRevoked_andTheAnswerIsTheSame() throws {
        let fixture = try Fixture()
        let (other, secret) = try fixture.makeClient()
        let issued = try tokens(fixture)
        let outcome = try revoke(
            fixture, issued.refreshToken!, clientID: other.clientID, secret: secret)
        #expect(!outcome.revoked)
        #expect(try fixture.isActive(issued.refreshToken!))
        #expect(try fixture.isActive(issued.accessToken))
    }

    @Test(arguments: [
        "lka_unknown", "garbage", CredentialKind.accessToken.generate(),
        CredentialKind.refreshToken.generate(), CredentialKind.authorizationCode.generate(),
        String(repeating: "t", count: 100_000),
    ])
    func unknownOrMalformedToken_isNotAnError(token: String) throws {
        let fixture = try Fixture()
        #expect(try !revoke(fixture, token).revoked)
    }

    @Test func publicClient_mayRevokeItsOwnToken() throws {
        let fixture = try Fixture()
        let (client, _) = try fixture.makeClient(isPublic: true)
        let code = try fixture.storeCode(for: client, challenge: RFC7636.challenge)
        let issued = try fixture.tokenEndpoint.handle(
            fixture.form([
                ("grant_type", "authorization_code"), ("code", code),
                ("client_id", client.clientID), ("code_verifier", RFC7636.verifier),
            ])
        ).issued.response
        let outcome = try Revocation(context: fixture.context).revoke(
            fixture.form([("token", issued.refreshToken!), ("client_id", client.clientID)]))
        #expect(outcome.revoked)
        #expect(try !fixture.isActive(issued.accessToken))
    }

    @Test(arguments: ["id_token", "ACCESS_TOKEN", "authorization_code", "urn:x"])
    func unsupportedHint_isUnsupportedTokenType(hint: String) throws {
        let fixture = try Fixture()
        let issued = try tokens(fixture)
        expectOAuthError(.unsupportedTokenType) {
            try revoke(fixture, issued.accessToken, hint: hint)
        }
        #expect(try fixture.isActive(issued.accessToken))
    }

    @Test func missingToken_isInvalidRequest() throws {
        let fixture = try Fixture()
        expectOAuthError(.invalidRequest) {
            _ = try Revocation(context: fixture.context).revoke(fixture.post([]))
        }
    }

    @Test func wrongSecret_isInvalidClient_andRevokesNothing() throws {
        let fixture = try Fixture()
        let issued = try tokens(fixture)
        expectOAuthError(.invalidClient, status: 401) {
            try revoke(fixture, issued.accessToken, secret: CredentialKind.clientSecret.generate())
        }
        #expect(try fixture.isActive(issued.accessToken))
    }

    @Test func repeatedToken_isInvalidRequest() throws {
        let fixture = try Fixture()
        let issued = try tokens(fixture)
        expectOAuthError(.invalidRequest) {
            _ = try Revocation(context: fixture.context).revoke(
                fixture.post([("token", issued.accessToken), ("token", issued.accessToken)]))
        }
        #expect(try fixture.isActive(issued.accessToken))
    }
}
