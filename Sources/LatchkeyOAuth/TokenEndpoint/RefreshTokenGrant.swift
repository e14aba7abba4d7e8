import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The refresh token grant (RFC 6749 §6) with rotation on every use (RFC 6749 §10.4,
/// SPEC §4): the presented token is retired and a new one issued in the same
/// transaction, and a token presented after it was retired revokes its whole family.
struct RefreshTokenGrant: TokenGrant {
    let context: OAuthContext
    let audit: AuditSink

    func issue(_ request: TokenRequest, to authenticated: AuthenticatedClient)
        throws(OAuthError) -> IssuedGrant
    {
        let client = authenticated.client
        guard let presented = request["refresh_token"] else {
            throw OAuthError(.invalidRequest, "The request has no refresh_token.")
        }
        guard CredentialKind.refreshToken.isWellFormed(presented) else {
            throw Self.invalid("malformed refresh token")
        }
        let now = context.clock.now()
        let hash = storageHash(of: presented)

        let found = try context.store { try context.storage.token(hash: hash) }
        guard let token = found, token.kind == .refresh else {
            throw Self.invalid("unknown refresh token")
        }
        // RFC 6749 §6: "ensure that the refresh token was issued to the authenticated
        // client". Someone else's token is refused and left alone.
        guard token.clientRowID == client.id else {
            throw Self.invalid("refresh token of another client")
        }
        // Checked before rotating, so that a bad scope does not spend the token.
        let scopes = try TokenScopes(catalog: context.configuration.scopes).narrowed(
            request["scope"], granted: token.scopes)
        if token.revokedAt == nil, let expiresAt = token.expiresAt, now >= expiresAt {
            throw OAuthError(
                .invalidGrant, "The refresh token has expired.", detail: "expired refresh token")
        }

        // RFC 6749 §6: "the refresh token scope MUST be identical to that of the refresh
        // token included by the client in the request", whatever the access token got.
        // OIDC Core §12.2: a refreshed ID token keeps the original `auth_time` and
        // "SHOULD NOT have a nonce Claim".
        let minted = try TokenIssuer(context: context).mint(
            client: client, userID: token.userID, scopes: scopes, refreshScopes: token.scopes,
            familyID: token.familyID, codeHash: token.codeHash, authTime: token.authTime)
        let rotation = try context.store {
            try context.storage.rotateRefreshToken(
                hash: hash, replacements: minted.records, at: now)
        }
        switch rotation {
        case .rotated:
            return IssuedGrant(response: minted.response, userID: token.userID)
        case .reused(let spent):
            try revokeFamily(of: spent, client: client, hash: hash, at: now)
            throw Self.invalid("refresh token reused")
        case .notFound:
            throw Self.invalid("refresh token vanished")
        }
    }

    /// RFC 6749 §10.4: a retired refresh token coming back means that it was copied, and
    /// nobody can tell which holder is honest, so every token of the authorization goes.
    private func revokeFamily(
        of spent: Token, client: Client, hash: String, at now: Date
    ) throws(OAuthError) {
        try context.store { try context.storage.revokeTokens(familyID: spent.familyID, at: now) }
        audit(
            .refreshTokenReused(clientID: client.clientID, tokenHashPrefix: String(hash.prefix(8))))
    }

    /// One answer for unknown, foreign, reused and malformed tokens, so the answer does
    /// not tell them apart.
    private static func invalid(_ detail: String) -> OAuthError {
        OAuthError(.invalidGrant, "The refresh token is not valid.", detail: detail)
    }
}
