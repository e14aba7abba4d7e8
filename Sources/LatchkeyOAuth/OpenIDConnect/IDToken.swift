import LatchkeyCrypto
import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// ID tokens (OIDC Core §2, §3.1.3.6): a JWS signed with the client's algorithm, RS256
/// unless the client chose ES256.
struct IDToken {
    let context: OAuthContext

    /// The sign-in behind the token: who, when, and the `nonce` of the request.
    struct Authentication {
        var userID: Int64
        /// Nil only for tokens issued before OpenID Connect was added; the claim is then
        /// left out rather than invented.
        var authTime: Date?
        var nonce: String?
    }

    func issue(
        for authentication: Authentication, client: Client, scopes: [String], accessToken: String
    ) throws(OAuthError) -> String {
        guard let algorithm = SigningAlgorithm(rawValue: client.idTokenSigningAlgorithm) else {
            throw OAuthError.serverError(
                detail:
                    "client \(client.clientID) has ID token alg \(client.idTokenSigningAlgorithm)")
        }
        let found = try context.store { try context.storage.user(id: authentication.userID) }
        guard let user = found else {
            throw OAuthError(.invalidGrant, "The user no longer exists.", detail: "user gone")
        }
        let now = context.clock.now()
        let issuedAt = Int64(now.timeIntervalSince1970)

        var claims: [(key: String, value: JSONValue)] = [
            ("iss", .string(context.configuration.issuer)),
            ("sub", .string(try Claims.subject(of: user.id, context))),
            ("aud", .string(client.clientID)),
            ("exp", .int(issuedAt + Int64(context.configuration.idTokenLifetime))),
            ("iat", .int(issuedAt)),
        ]
        if let authTime = authentication.authTime {
            claims.append(("auth_time", .int(Int64(authTime.timeIntervalSince1970))))
        }
        // OIDC Core §3.1.3.6: "If present in the Authentication Request, Authorization
        // Servers MUST include a nonce Claim in the ID Token with the Claim Value being
        // the nonce value sent in the Authentication Request."
        if let nonce = authentication.nonce { claims.append(("nonce", .string(nonce))) }
        claims.append(("at_hash", .string(Self.accessTokenHash(accessToken))))
        claims += Claims.scoped(user, scopes: scopes)

        let (kid, key) = try context.signingKeys.currentKey(algorithm, context)
        do {
            return try JWS.sign(
                header: JWS.header(algorithm: algorithm, kid: kid), payload: .object(claims),
                with: key)
        } catch {
            throw OAuthError.serverError(detail: "ID token signature: \(error)")
        }
    }

    /// OIDC Core §3.1.3.6: "the base64url encoding of the left-most half of the hash of
    /// the octets of the ASCII representation of the access_token value", SHA-256 for
    /// both RS256 and ES256.
    static func accessTokenHash(_ accessToken: String) -> String {
        Base64URL.encode(Array(SHA256.hash(Array(accessToken.utf8)).prefix(16)))
    }
}
