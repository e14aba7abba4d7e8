import Foundation
import LatchkeyStorage
import Testing

@testable import LatchkeyOAuth

struct AuthorizationCodeGrantTests {
    private func exchange(
        _ fixture: Fixture, code: String, extra: [(String, String)] = [],
        clientID: String? = nil, secret: String? = nil
    ) throws -> TokenEndpoint.Success {
        try fixture.tokenEndpoint.handle(
            fixture.post(
                [("grant_type", "authorization_code"), ("code", code)] + extra,
                clientID: clientID, secret: secret))
    }

    @Test func code_fromTheWebFlow_issuesExpiringAccessAndRefreshToken() throws {
        let fixture = try Fixture()
        let success = try exchange(fixture, code: try fixture.code())
        let response = success.issued.response

        #expect(response.accessToken.hasPrefix("lka_"))
        #expect(response.refreshToken?.hasPrefix("lkr_") == true)
        #expect(response.expiresIn == 3600)
        #expect(response.scopes == ["profile", "email"])
        #expect(success.issued.userID == fixture.user.id)
        #expect(success.grantType == .authorizationCode)
        let access = try #require(try fixture.stored(response.accessToken))
        let refresh = try #require(try fixture.stored(response.refreshToken!))
        #expect(access.expiresAt == fixture.clock.clock.now().addingTimeInterval(3600))
        #expect(refresh.kind == .refresh)
        #expect(refresh.familyID == access.familyID)
        #expect(refresh.expiresAt == fixture.clock.clock.now().addingTimeInterval(30 * 86400))
    }

    @Test func responseJSON_hasEveryRFC6749Member_inOrder() throws {
        let fixture = try Fixture()
        let response = try exchange(fixture, code: try fixture.code()).issued.response
        #expect(
            response.json.serialized
                == #"{"access_token":"\#(response.accessToken)","token_type":"Bearer","#
                + #""expires_in":3600,"refresh_token":"\#(response.refreshToken!)","#
                + #""scope":"profile email"}"#)
    }

    @Test func configuredLifetimes_areUsed() throws {
        let fixture = try Fixture {
            $0.accessTokenLifetime = 300
            $0.refreshTokenLifetime = 600
        }
        let response = try exchange(fixture, code: try fixture.code()).issued.response
        #expect(response.expiresIn == 300)
        let refresh = try #require(try fixture.stored(response.refreshToken!))
        #expect(refresh.expiresAt == fixture.clock.clock.now().addingTimeInterval(600))
    }

    @Test func clientWithoutRefreshGrant_getsNoRefreshToken() throws {
        let fixture = try Fixture()
        let (client, secret) = try fixture.makeClient(grantTypes: ["authorization_code"])
        let code = try fixture.storeCode(for: client)
        let response = try exchange(fixture, code: code, clientID: client.clientID, secret: secret)
            .issued.response
        #expect(response.refreshToken == nil)
        #expect(!response.json.serialized.contains("refresh_token"))
        #expect(response.json.serialized.contains(#""expires_in":3600"#))
    }

    @Test func clientWithoutCodeGrant_isUnauthorizedClient_andLeavesTheCodeUnused() throws {
        let fixture = try Fixture()
        let (client, secret) = try fixture.makeClient(grantTypes: ["password"])
        let code = try fixture.storeCode(for: client)
        expectOAuthError(.unauthorizedClient) {
            _ = try exchange(fixture, code: code, clientID: client.clientID, secret: secret)
        }
        let redemption = try fixture.context.storage.redeemCode(
            hash: storageHash(of: code), at: fixture.clock.clock.now())
        guard case .redeemed = redemption else {
            Issue.record("the code was spent: \(redemption)")
            return
        }
    }

    @Test func missingCode_isInvalidRequest() throws {
        let fixture = try Fixture()
        expectOAuthError(.invalidRequest) {
            _ = try fixture.tokenEndpoint.handle(
                fixture.post([("grant_type", "authorization_code")]))
        }
    }

    @Test(arguments: ["lkc_typo", "not-a-code", String(repeating: "c", count: 10_000)])
    func malformedCode_isInvalidGrant(code: String) throws {
        let fixture = try Fixture()
        expectOAuthError(.invalidGrant) { _ = try exchange(fixture, code: code) }
    }

    @Test func unknownWellFormedCode_isInvalidGrant() throws {
        let fixture = try Fixture()
        let code = CredentialKind.authorizationCode.generate()
        expectOAuthError(.invalidGrant) { _ = try exchange(fixture, code: code) }
    }

    @Test func replayedCode_isInvalidGrant_andRevokesEveryTokenItLedTo() throws {
        let fixture = try Fixture()
        let code = try fixture.code()
        let first = try exchange(fixture, code: code).issued.response
        // A rotation hands the code down to the new tokens.
        let refreshed = try fixture.tokenEndpoint.handle(
            fixture.post([("grant_type", "refresh_token"), ("refresh_token", first.refreshToken!)])
        ).issued.response

        expectOAuthError(.invalidGrant) { _ = try exchange(fixture, code: code) }
        #expect(try !fixture.isActive(refreshed.accessToken))
        #expect(try !fixture.isActive(refreshed.refreshToken!))
        #expect(try !fixture.isActive(first.accessToken))
    }

    @Test func expiredCode_isInvalidGrant() throws {
        let fixture = try Fixture()
        let code = try fixture.code()
        fixture.clock.advance(by: 60)
        let error = expectOAuthError(.invalidGrant) { _ = try exchange(fixture, code: code) }
        #expect(error?.description == "The code has expired.")
    }

    @Test func codeOfAnotherClient_isInvalidGrant() throws {
        let fixture = try Fixture()
        let (other, secret) = try fixture.makeClient()
        let code = try fixture.code()
        expectOAuthError(.invalidGrant) {
            _ = try exchange(fixture, code: code, clientID: other.clientID, secret: secret)
        }
    }

    @Test func wrongClientSecret_isInvalidClient_andLeavesTheCodeUsable() throws {
        let fixture = try Fixture()
        let code = try fixture.code()
        expectOAuthError(.invalidClient, status: 401) {
            _ = try exchange(
                fixture, code: code, secret: CredentialKind.clientSecret.generate())
        }
        #expect(try exchange(fixture, code: code).issued.response.accessToken.hasPrefix("lka_"))
    }

    // MARK: redirect_uri (RFC 6749 §4.1.3)

    @Test func redirectURI_sameAsInTheAuthorization_isAccepted() throws {
        let fixture = try Fixture()
        let code = try fixture.code(redirectURI: "https://goat.example/other")
        let success = try exchange(
            fixture, code: code, extra: [("redirect_uri", "https://goat.example/other")])
        #expect(success.issued.response.accessToken.hasPrefix("lka_"))
    }

    @Test(arguments: [
        nil, "https://goat.example/cb", "https://goat.example/other/", "HTTPS://goat.example/other",
    ])
    func redirectURI_missingOrDifferent_isInvalidGrant(sent: String?) throws {
        let fixture = try Fixture()
        let code = try fixture.code(redirectURI: "https://goat.example/other")
        expectOAuthError(.invalidGrant) {
            _ = try exchange(fixture, code: code, extra: sent.map { [("redirect_uri", $0)] } ?? [])
        }
    }

    @Test func redirectURI_whenTheAuthorizationNamedNone_mayRepeatTheCallbackItWentTo() throws {
        let fixture = try Fixture()
        let code = try fixture.code()
        let success = try exchange(
            fixture, code: code, extra: [("redirect_uri", "https://goat.example/cb")])
        #expect(success.issued.response.accessToken.hasPrefix("lka_"))
    }

    @Test func redirectURI_whenTheAuthorizationNamedNone_mustNotNameAnother() throws {
        let fixture = try Fixture()
        let code = try fixture.code()
        expectOAuthError(.invalidGrant) {
            _ = try exchange(
                fixture, code: code, extra: [("redirect_uri", "https://evil.example/cb")])
        }
    }

    // MARK: PKCE (RFC 7636)

    @Test func pkce_RFC7636AppendixB_isAccepted() throws {
        let fixture = try Fixture()
        let code = try fixture.storeCode(challenge: RFC7636.challenge)
        let success = try exchange(
            fixture, code: code, extra: [("code_verifier", RFC7636.verifier)])
        #expect(success.issued.response.accessToken.hasPrefix("lka_"))
    }

    @Test func pkce_wrongVerifier_isInvalidGrant_andSpendsTheCode() throws {
        let fixture = try Fixture()
        let code = try fixture.storeCode(challenge: RFC7636.challenge)
        let error = expectOAuthError(.invalidGrant) {
            _ = try exchange(
                fixture, code: code,
                extra: [("code_verifier", String(RFC7636.verifier.reversed()))])
        }
        #expect(error?.description == "The code_verifier does not match the code_challenge.")
        expectOAuthError(.invalidGrant) {
            _ = try exchange(fixture, code: code, extra: [("code_verifier", RFC7636.verifier)])
        }
    }

    @Test func pkce_missingVerifier_isInvalidRequest() throws {
        let fixture = try Fixture()
        let code = try fixture.storeCode(challenge: RFC7636.challenge)
        let error = expectOAuthError(.invalidRequest) { _ = try exchange(fixture, code: code) }
        #expect(error?.description == "The request has no code_verifier.")
    }

    @Test(arguments: [42, 129, 100_000])
    func pkce_verifierOfWrongLength_isInvalidGrant(length: Int) throws {
        let fixture = try Fixture()
        let verifier = String(repeating: "v", count: length)
        let code = try fixture.storeCode(challenge: PKCE.s256Challenge(of: verifier))
        expectOAuthError(.invalidGrant) {
            _ = try exchange(fixture, code: code, extra: [("code_verifier", verifier)])
        }
    }

    @Test func pkce_verifierWithStandardBase64Characters_isAccepted_perSPEC() throws {
        let fixture = try Fixture()
        let verifier = "+/=" + String(repeating: "A", count: 50)
        let code = try fixture.storeCode(challenge: PKCE.s256Challenge(of: verifier))
        let success = try exchange(fixture, code: code, extra: [("code_verifier", verifier)])
        #expect(success.issued.response.accessToken.hasPrefix("lka_"))
    }

    @Test func pkce_verifierWithoutChallenge_isInvalidGrant() throws {
        let fixture = try Fixture()
        let code = try fixture.code()
        expectOAuthError(.invalidGrant) {
            _ = try exchange(fixture, code: code, extra: [("code_verifier", RFC7636.verifier)])
        }
    }

    @Test func pkce_plainMethodStored_isRefused() throws {
        let fixture = try Fixture()
        let code = try fixture.storeCode(challenge: RFC7636.verifier, method: "plain")
        expectOAuthError(.invalidGrant) {
            _ = try exchange(fixture, code: code, extra: [("code_verifier", RFC7636.verifier)])
        }
    }

    @Test func publicClient_withPKCE_getsTokens() throws {
        let fixture = try Fixture()
        let (client, _) = try fixture.makeClient(isPublic: true)
        let code = try fixture.storeCode(for: client, challenge: RFC7636.challenge)
        let success = try fixture.tokenEndpoint.handle(
            fixture.form([
                ("grant_type", "authorization_code"), ("code", code),
                ("client_id", client.clientID), ("code_verifier", RFC7636.verifier),
            ]))
        #expect(success.issued.response.refreshToken != nil)
        #expect(success.client.id == client.id)
    }

    @Test func publicClient_codeWithoutPKCE_isInvalidGrant() throws {
        let fixture = try Fixture()
        let (client, _) = try fixture.makeClient(isPublic: true)
        let code = try fixture.storeCode(for: client)
        let error = expectOAuthError(.invalidGrant) {
            _ = try fixture.tokenEndpoint.handle(
                fixture.form([
                    ("grant_type", "authorization_code"), ("code", code),
                    ("client_id", client.clientID),
                ]))
        }
        #expect(error?.description == "A public client must use PKCE.")
    }
}
