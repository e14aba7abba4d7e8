import Foundation
import LatchkeyCrypto
import TestJOSE
import Testing

/// A verified ID token: its header and claims, decoded after the signature checked out
/// against the key the JWKS publishes under its `kid`.
struct VerifiedIDToken {
    var header: [String: Any]
    var claims: [String: Any]
}

extension SeedWorld {
    static let openIDQuery = "response_type=code&scope=openid%20profile%20email&state=s1"

    /// `/oauth/authorize` for `clientID` (the seed client by default) with `query`
    /// added; the consent page, when shown, is allowed. Returns the redirect.
    func authorizeOpenID(
        _ browser: HTTPClient, clientID: String? = nil, query: String = SeedWorld.openIDQuery
    ) async throws -> URL {
        let first = try await browser.get(
            url("/oauth/authorize?client_id=\(clientID ?? self.clientID)&" + query))
        var response = first
        if first.status == 200 {
            response = try await browser.postForm(
                url("/oauth/authorize/decision"),
                hiddenFields(in: first.text) + [("decision", "allow")])
        }
        #expect(response.status == 302)
        return try #require(response.location)
    }

    /// The token response for a code of the OpenID flow.
    func openIDTokens(
        _ browser: HTTPClient, clientID: String? = nil, secret: String? = nil,
        query: String = SeedWorld.openIDQuery
    ) async throws -> [String: Any] {
        let callback = try await authorizeOpenID(browser, clientID: clientID, query: query)
        let code = try #require(callback.queryValue("code"))
        let response = try token(
            [("grant_type", "authorization_code"), ("code", code)],
            auth: .basic(clientID ?? self.clientID, secret ?? clientSecret))
        #expect(response.status == 200)
        return try #require(response.json)
    }

    /// The keys `GET /oauth/jwks` publishes, by `kid`.
    func publishedKeys() async throws -> [String: [String: String]] {
        let response = try await http.get(url("/oauth/jwks"))
        #expect(response.status == 200)
        let keys = try #require(response.json?["keys"] as? [[String: String]])
        return Dictionary(uniqueKeysWithValues: keys.map { ($0["kid"] ?? "", $0) })
    }

    /// Checks the compact JWS against the JWKS with the independent verifier.
    func verify(idToken: String, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> VerifiedIDToken
    {
        let parts = idToken.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        try #require(parts.count == 3, sourceLocation: sourceLocation)
        let header = try decodeJSON(parts[0])
        let kid = try #require(header["kid"] as? String, sourceLocation: sourceLocation)
        let jwk = try #require(
            try await publishedKeys()[kid], "kid \(kid) is not in the JWKS",
            sourceLocation: sourceLocation)
        #expect(jwk["alg"] == header["alg"] as? String, sourceLocation: sourceLocation)
        let signature = try #require(JWKVerifier.decode(parts[2]), sourceLocation: sourceLocation)
        #expect(
            JWKVerifier.verify(
                signingInput: Array((parts[0] + "." + parts[1]).utf8), signature: signature,
                jwk: jwk),
            "the ID token signature does not verify", sourceLocation: sourceLocation)
        return VerifiedIDToken(header: header, claims: try decodeJSON(parts[1]))
    }
}

func decodeJSON(_ base64URL: String) throws -> [String: Any] {
    let bytes = try #require(JWKVerifier.decode(base64URL))
    return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
}

/// OIDC Core §3.1.3.6, computed here from the access token.
func expectedAccessTokenHash(_ accessToken: String) -> String {
    Base64URL.encode(Array(SHA256.hash(Array(accessToken.utf8)).prefix(16)))
}
