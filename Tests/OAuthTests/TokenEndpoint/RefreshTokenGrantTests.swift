import Foundation
import LatchkeyStorage
import Testing

@testable import LatchkeyOAuth

struct RefreshTokenGrantTests {
    /// Tokens from the code grant, to refresh.
    private func initialTokens(_ fixture: Fixture, scope: String? = nil) throws -> TokenResponse {
        try fixture.tokenEndpoint.handle(
            fixture.post([
                ("grant_type", "authorization_code"), ("code", try fixture.code(scope: scope)),
            ])
        ).issued.response
    }

    private func refresh(
        _ fixture: Fixture, _ token: String, extra: [(String, String)] = [],
        clientID: String? = nil, secret: String? = nil, audit: AuditRecorder = AuditRecorder()
    ) throws -> TokenResponse {
        try TokenEndpoint(context: fixture.context, audit: audit.sink).handle(
            fixture.post(
                [("grant_type", "refresh_token"), ("refresh_token", token)] + extra,
                clientID: clientID, secret: secret)
        ).issued.response
    }

    @Test func refresh_rotates_oldTokenStopsWorking_accessTokensStayInTheFamily() throws {
        let fixture = try Fixture()
        let first = try initialTokens(fixture)
        fixture.clock.advance(by: 10)

        let second = try refresh(fixture, first.refreshToken!)

        #expect(second.refreshToken != first.refreshToken)
        #expect(second.accessToken != first.accessToken)
        #expect(second.expiresIn == 3600)
        #expect(second.scopes == ["profile", "email"])
        #expect(try !fixture.isActive(first.refreshToken!))
        #expect(try fixture.isActive(second.refreshToken!))
        // The earlier access token lives out its hour: rotation is not revocation.
        #expect(try fixture.isActive(first.accessToken))
        let old = try #require(try fixture.stored(first.refreshToken!))
        let new = try #require(try fixture.stored(second.refreshToken!))
        #expect(new.familyID == old.familyID)
        #expect(new.codeHash == old.codeHash)
        #expect(new.expiresAt == fixture.clock.clock.now().addingTimeInterval(30 * 86400))
    }

    @Test func reusedRefreshToken_isInvalidGrant_revokesTheWholeFamily_andIsAudited() throws {
        let fixture = try Fixture()
        let first = try initialTokens(fixture)
        let second = try refresh(fixture, first.refreshToken!)
        let audit = AuditRecorder()

        expectOAuthError(.invalidGrant) {
            _ = try refresh(fixture, first.refreshToken!, audit: audit)
        }

        for token in [first.accessToken, second.accessToken, second.refreshToken!] {
            #expect(try !fixture.isActive(token))
        }
        let prefix = String(storageHash(of: first.refreshToken!).prefix(8))
        #expect(
            audit.events == [
                .refreshTokenReused(clientID: fixture.client.clientID, tokenHashPrefix: prefix)
            ])
        expectOAuthError(.invalidGrant) { _ = try refresh(fixture, second.refreshToken!) }
    }

    @Test func otherFamilies_surviveAReuse() throws {
        let fixture = try Fixture()
        let stolen = try initialTokens(fixture)
        let bystander = try initialTokens(fixture)
        _ = try refresh(fixture, stolen.refreshToken!)
        expectOAuthError(.invalidGrant) { _ = try refresh(fixture, stolen.refreshToken!) }
        #expect(try fixture.isActive(bystander.refreshToken!))
        #expect(try fixture.isActive(bystander.accessToken))
    }

    @Test func narrowerScope_isGranted_andTheRefreshTokenKeepsTheOriginalScope() throws {
        let fixture = try Fixture()
        let first = try initialTokens(fixture)
        let narrowed = try refresh(fixture, first.refreshToken!, extra: [("scope", "email")])
        #expect(narrowed.scopes == ["email"])
        #expect(try fixture.stored(narrowed.refreshToken!)?.scopes == ["profile", "email"])
        // RFC 6749 §6: without scope the original scope comes back.
        let again = try refresh(fixture, narrowed.refreshToken!)
        #expect(again.scopes == ["profile", "email"])
    }

    @Test(arguments: ["profile email openid", "openid", "admin"])
    func widerOrUnknownScope_isInvalidScope_andDoesNotSpendTheToken(scope: String) throws {
        let fixture = try Fixture()
        let first = try initialTokens(fixture)
        expectOAuthError(.invalidScope) {
            _ = try refresh(fixture, first.refreshToken!, extra: [("scope", scope)])
        }
        #expect(try fixture.isActive(first.refreshToken!))
    }

    @Test func hugeScope_isInvalidScope_withoutEcho() throws {
        let fixture = try Fixture()
        let first = try initialTokens(fixture)
        let error = expectOAuthError(.invalidScope) {
            _ = try refresh(
                fixture, first.refreshToken!,
                extra: [("scope", String(repeating: "profile ", count: 10_000))])
        }
        #expect((error?.description.count ?? .max) < 100)
    }

    @Test func refreshTokenOfAnotherClient_isInvalidGrant_andLeftAlone() throws {
        let fixture = try Fixture()
        let (other, secret) = try fixture.makeClient()
        let first = try initialTokens(fixture)
        expectOAuthError(.invalidGrant) {
            _ = try refresh(fixture, first.refreshToken!, clientID: other.clientID, secret: secret)
        }
        #expect(try fixture.isActive(first.refreshToken!))
        #expect(try fixture.isActive(first.accessToken))
    }

    @Test func expiredRefreshToken_isInvalidGrant() throws {
        let fixture = try Fixture { $0.refreshTokenLifetime = 100 }
        let first = try initialTokens(fixture)
        fixture.clock.advance(by: 100)
        let error = expectOAuthError(.invalidGrant) {
            _ = try refresh(fixture, first.refreshToken!)
        }
        #expect(error?.description == "The refresh token has expired.")
    }

    @Test(arguments: ["lkr_typo", "", "x"])
    func malformedRefreshToken_isInvalidGrantOrMissing(token: String) throws {
        let fixture = try Fixture()
        // An empty value counts as omitted (RFC 6749 §3.2).
        expectOAuthError(token.isEmpty ? .invalidRequest : .invalidGrant) {
            _ = try refresh(fixture, token)
        }
    }

    @Test func accessTokenPresentedAsRefreshToken_isInvalidGrant() throws {
        let fixture = try Fixture()
        let first = try initialTokens(fixture)
        expectOAuthError(.invalidGrant) { _ = try refresh(fixture, first.accessToken) }
        #expect(try fixture.isActive(first.accessToken))
    }

    @Test func unknownWellFormedRefreshToken_isInvalidGrant() throws {
        let fixture = try Fixture()
        expectOAuthError(.invalidGrant) {
            _ = try refresh(fixture, CredentialKind.refreshToken.generate())
        }
    }

    @Test func clientWhoseRefreshGrantWasTurnedOff_isUnauthorizedClient() throws {
        let fixture = try Fixture()
        let first = try initialTokens(fixture)
        var client = fixture.client
        client.grantTypes = ["authorization_code"]
        try fixture.context.storage.updateClient(client)
        expectOAuthError(.unauthorizedClient) { _ = try refresh(fixture, first.refreshToken!) }
    }

    @Test func concurrentRefreshes_withOneToken_exactlyOneSucceeds() async throws {
        let fixture = try Fixture()
        let first = try initialTokens(fixture)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 {
                group.addTask { (try? refresh(fixture, first.refreshToken!)) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 1)
    }
}
