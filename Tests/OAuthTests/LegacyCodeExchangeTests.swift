import Foundation
import LatchkeyStorage
import Testing

@testable import LatchkeyOAuth

struct LegacyCodeExchangeTests {
    @Test func exchange_validCode_issuesTokenWithoutExpiry() throws {
        let fixture = try Fixture()
        let code = try fixture.code()
        let (tokens, userID) = try LegacyCodeExchange(context: fixture.context).exchange(
            client: fixture.client, code: code, redirectURI: nil)
        #expect(tokens.accessToken.hasPrefix("lka_"))
        #expect(tokens.accessToken.count >= 4 + 43)
        #expect(tokens.expiresIn == nil)
        #expect(tokens.scopes == ["profile", "email"])
        #expect(userID == fixture.user.id)
        let stored = try fixture.context.storage.token(hash: storageHash(of: tokens.accessToken))
        #expect(stored?.isActive(at: fixture.clock.clock.now()) == true)
    }

    @Test func exchange_configuredLifetime_reportsExpiresIn() throws {
        let fixture = try Fixture { $0.legacyTokenLifetime = 3600 }
        let (tokens, _) = try LegacyCodeExchange(context: fixture.context).exchange(
            client: fixture.client, code: try fixture.code(), redirectURI: nil)
        #expect(tokens.expiresIn == 3600)
        #expect(tokens.json.serialized.contains(#""expires_in":3600"#))
    }

    @Test func exchange_reusedCode_isInvalidGrantAndRevokesFirstToken() throws {
        let fixture = try Fixture()
        let code = try fixture.code()
        let exchange = LegacyCodeExchange(context: fixture.context)
        let (first, _) = try exchange.exchange(client: fixture.client, code: code, redirectURI: nil)

        #expect(
            throws: OAuthError(.invalidGrant, "The code is not valid.", detail: "code replayed")
        ) {
            try exchange.exchange(client: fixture.client, code: code, redirectURI: nil)
        }
        let stored = try fixture.context.storage.token(hash: storageHash(of: first.accessToken))
        #expect(stored?.revokedAt != nil)
    }

    @Test func exchange_expiredCode_isInvalidGrant() throws {
        let fixture = try Fixture()
        let code = try fixture.code()
        fixture.clock.advance(by: 61)
        #expect(throws: OAuthError(.invalidGrant, "The code has expired.", detail: "code expired"))
        {
            try LegacyCodeExchange(context: fixture.context).exchange(
                client: fixture.client, code: code, redirectURI: nil)
        }
    }

    @Test(arguments: ["", "lkc_unknown", "'; DROP TABLE tokens; --"])
    func exchange_unknownOrMissingCode_isRefused(code: String) throws {
        let fixture = try Fixture()
        let exchange = LegacyCodeExchange(context: fixture.context)
        #expect(throws: OAuthError.self) {
            try exchange.exchange(client: fixture.client, code: code, redirectURI: nil)
        }
        do {
            _ = try exchange.exchange(client: fixture.client, code: code, redirectURI: nil)
        } catch {
            #expect(error.code == (code.isEmpty ? .invalidRequest : .invalidGrant))
        }
    }

    @Test func exchange_codeOfAnotherClient_isInvalidGrant() throws {
        let fixture = try Fixture()
        let other = try ClientRegistry(context: fixture.context).register(
            .init(
                name: "Other", mainURL: "https://other.example",
                callbackURLs: [
                    "https://other.example/cb"
                ]), ownerUserID: nil, isPublic: false)
        let code = try fixture.code()
        #expect(throws: OAuthError(.invalidGrant, "The code is not valid.", detail: "other client"))
        {
            try LegacyCodeExchange(context: fixture.context).exchange(
                client: other.client, code: code, redirectURI: nil)
        }
    }

    @Test func exchange_redirectURIMismatch_isInvalidGrant() throws {
        let fixture = try Fixture()
        let code = try fixture.code(redirectURI: "https://goat.example/other")
        #expect(throws: OAuthError.self) {
            try LegacyCodeExchange(context: fixture.context).exchange(
                client: fixture.client, code: code, redirectURI: "https://goat.example/cb")
        }
    }

    @Test func exchange_concurrentRedemptions_succeedExactlyOnce() async throws {
        let fixture = try Fixture()
        let code = try fixture.code()
        let exchange = LegacyCodeExchange(context: fixture.context)
        let client = fixture.client
        let successes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    (try? exchange.exchange(client: client, code: code, redirectURI: nil)) != nil
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(successes == 1)
    }
}
