import Foundation
import LatchkeyStorage
import Testing

@testable import LatchkeyOAuth

/// `/oauth/authorize` (RFC 6749 §4.1, RFC 7636, RFC 9207).
struct AuthorizationEndpointStandardTests {
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

    private func validate(_ fixture: Fixture, _ pairs: [String: [String]]) -> Result<
        AuthorizationRequest, AuthorizationRequest.Failure
    > {
        Result {
            try AuthorizationEndpoint(context: fixture.context, dialect: .standard).validate(
                fixture.parameters(pairs))
        }.mapError { $0 as! AuthorizationRequest.Failure }
    }

    private func base(_ fixture: Fixture) -> [String: [String]] {
        [
            "response_type": ["code"], "client_id": [fixture.client.clientID],
            "redirect_uri": ["https://goat.example/cb"], "state": ["st"],
        ]
    }

    /// The error code and the redirect of a trusted failure.
    private func redirected(_ result: Result<AuthorizationRequest, AuthorizationRequest.Failure>)
        -> (code: OAuthError.Code, location: URLComponents)?
    {
        guard case .failure(.redirect(let error, let location)) = result else { return nil }
        return (error.code, URLComponents(string: location)!)
    }

    @Test func validate_complete_keepsEveryParameter() throws {
        let fixture = try Fixture()
        var pairs = base(fixture)
        pairs["code_challenge"] = [Self.challenge]
        pairs["code_challenge_method"] = ["S256"]
        pairs["nonce"] = ["n-1"]
        pairs["scope"] = ["email"]
        let request = try validate(fixture, pairs).get()
        #expect(request.scopes == ["email"])
        #expect(request.codeChallenge == Self.challenge)
        #expect(request.nonce == "n-1")
        #expect(request.parameters.first?.name == "response_type")
    }

    @Test(arguments: [
        (["response_type": [String]()], OAuthError.Code.invalidRequest),
        (["response_type": ["token"]], .unsupportedResponseType),
        (["response_type": ["code id_token"]], .unsupportedResponseType),
        (["response_type": ["code", "code"]], .invalidRequest),
        (["scope": ["admin"]], .invalidScope),
        (["scope": [""]], .invalidScope),
        (["code_challenge_method": ["S256"]], .invalidRequest),
        (["code_challenge": [challenge], "code_challenge_method": ["plain"]], .invalidRequest),
        (["code_challenge": [challenge]], .invalidRequest),
        (["code_challenge": ["short"], "code_challenge_method": ["S256"]], .invalidRequest),
        (
            ["code_challenge": [challenge + "="], "code_challenge_method": ["S256"]],
            .invalidRequest
        ),
        (["nonce": ["a", "b"]], .invalidRequest),
    ])
    func validate_badParameter_isRedirectedWithStateAndIssuer(
        overrides: [String: [String]], expected: OAuthError.Code
    ) throws {
        let fixture = try Fixture()
        let pairs = base(fixture).merging(overrides) { $1 }
        let outcome = try #require(redirected(validate(fixture, pairs)))
        #expect(outcome.code == expected)
        #expect(outcome.location.host == "goat.example")
        let items = outcome.location.queryItems ?? []
        #expect(items.first { $0.name == "error" }?.value == expected.rawValue)
        #expect(items.first { $0.name == "state" }?.value == "st")
        #expect(items.first { $0.name == "iss" }?.value == "http://127.0.0.1:8080")
    }

    /// None of these may ever be redirected to.
    @Test(arguments: [
        "https://evil.example/cb",
        "https://goat.example/cb/extra",
        "https://goat.example/cb?added=1",
        "https://goat.example@evil.example/cb",
        "https://goat.example/cb#fragment",
        "http://goat.example/cb",
        "https://GOAT.example/cb",
        "https://goat.example/%2e%2e/cb",
        "https://goat.example/cb/..",
        "//evil.example/cb",
        "",
    ])
    func validate_openRedirectAttempt_isNeverRedirected(redirectURI: String) throws {
        let fixture = try Fixture()
        var pairs = base(fixture)
        pairs["redirect_uri"] = [redirectURI]
        guard case .failure(.untrusted(let error)) = validate(fixture, pairs) else {
            Issue.record("\(redirectURI) was trusted")
            return
        }
        #expect(error.code == .invalidRequest)
    }

    @Test func validate_severalCallbacksAndNoRedirectURI_isUntrusted() throws {
        let fixture = try Fixture()
        var pairs = base(fixture)
        pairs["redirect_uri"] = nil
        guard case .failure(.untrusted(let error)) = validate(fixture, pairs) else {
            Issue.record("expected untrusted")
            return
        }
        #expect(error.code == .invalidRequest)
    }

    @Test func validate_publicClientWithoutPKCE_isInvalidRequest() throws {
        let fixture = try Fixture()
        let registration = try ClientRegistry(context: fixture.context).register(
            .init(
                name: "CLI", mainURL: "https://cli.example",
                callbackURLs: [
                    "http://127.0.0.1/callback"
                ]), ownerUserID: nil, isPublic: true)
        var pairs: [String: [String]] = [
            "response_type": ["code"], "client_id": [registration.client.clientID],
            "redirect_uri": ["http://127.0.0.1:49152/callback"],
        ]
        #expect(redirected(validate(fixture, pairs))?.code == .invalidRequest)

        pairs["code_challenge"] = [Self.challenge]
        pairs["code_challenge_method"] = ["S256"]
        let request = try validate(fixture, pairs).get()
        #expect(request.redirectURI == "http://127.0.0.1:49152/callback")
    }

    @Test func validate_clientWithoutCodeGrant_isUnauthorizedClient() throws {
        let fixture = try Fixture()
        let registration = try ClientRegistry(context: fixture.context).register(
            .init(
                name: "Machine", mainURL: "https://m.example",
                callbackURLs: ["https://m.example/cb"],
                grantTypes: ["client_credentials"]), ownerUserID: nil, isPublic: false)
        let pairs: [String: [String]] = [
            "response_type": ["code"], "client_id": [registration.client.clientID],
        ]
        #expect(redirected(validate(fixture, pairs))?.code == .unauthorizedClient)
    }

    @Test func validate_scopeOutsideClientsAllowedScopes_isInvalidScope() throws {
        let fixture = try Fixture()
        var limited = fixture.client
        limited.allowedScopes = ["profile"]
        try fixture.context.storage.updateClient(limited)
        var pairs = base(fixture)
        pairs["scope"] = ["profile email"]
        #expect(redirected(validate(fixture, pairs))?.code == .invalidScope)
    }

    @Test func allow_storesChallengeAndAnswersWithIssuer() throws {
        let fixture = try Fixture()
        var pairs = base(fixture)
        pairs["code_challenge"] = [Self.challenge]
        pairs["code_challenge_method"] = ["S256"]
        let endpoint = AuthorizationEndpoint(context: fixture.context, dialect: .standard)
        let request = try validate(fixture, pairs).get()

        let location = try #require(
            URLComponents(string: try endpoint.allow(request, userID: fixture.user.id)))
        let items = location.queryItems ?? []
        let code = try #require(items.first { $0.name == "code" }?.value)
        #expect(items.map(\.name) == ["code", "state", "iss"])

        let redemption = try fixture.context.storage.redeemCode(
            hash: storageHash(of: code), at: fixture.clock.clock.now())
        guard case .redeemed(let stored) = redemption else {
            Issue.record("code not stored")
            return
        }
        #expect(stored.codeChallenge == Self.challenge)
        #expect(stored.codeChallengeMethod == "S256")
        #expect(stored.redirectURI == "https://goat.example/cb")
    }

    @Test func deny_isAccessDeniedAtTheRedirectURI() throws {
        let fixture = try Fixture()
        let endpoint = AuthorizationEndpoint(context: fixture.context, dialect: .standard)
        let request = try validate(fixture, base(fixture)).get()
        let location = endpoint.deny(request)
        #expect(location.hasPrefix("https://goat.example/cb?error=access_denied&"))
        #expect(location.hasSuffix("&state=st&iss=http%3A%2F%2F127.0.0.1%3A8080"))
    }

    @Test func metadata_listsExactlyWhatIsSupported() throws {
        var configuration = OAuthConfiguration()
        configuration.issuer = "https://id.example"
        let text = AuthorizationServerMetadata.json(configuration).serialized
        #expect(
            text.hasPrefix(
                #"{"issuer":"https://id.example","#
                    + #""authorization_endpoint":"https://id.example/oauth/authorize""#
            ))
        #expect(text.contains(#""code_challenge_methods_supported":["S256"]"#))
        #expect(text.contains(#""response_types_supported":["code"]"#))
        #expect(
            text.contains(
                #""token_endpoint_auth_methods_supported":"#
                    + #"["client_secret_basic","client_secret_post","none"]"#
            ))
    }
}
