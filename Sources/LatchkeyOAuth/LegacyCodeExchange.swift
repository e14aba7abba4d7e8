import LatchkeyStorage

/// `POST /authorize/token?client_id=X&client_secret=Y&code=Z` of the seed document:
/// the authorization-code grant (RFC 6749 §4.1.3) with the client's credentials in the
/// request parameters.
public struct LegacyCodeExchange: Sendable {
    let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    public func exchange(
        client: Client, code: String?, redirectURI: String?
    ) throws(OAuthError) -> (tokens: IssuedTokens, userID: Int64) {
        guard let code, !code.isEmpty else {
            throw OAuthError(.invalidRequest, "The request has no code.")
        }
        guard CredentialKind.authorizationCode.isWellFormed(code) else {
            throw OAuthError(.invalidGrant, "The code is not valid.", detail: "malformed code")
        }
        let now = context.clock.now()
        let codeHash = storageHash(of: code)

        let redemption = try context.store {
            try context.storage.redeemCode(hash: codeHash, at: now)
        }
        let record: AuthorizationCode
        switch redemption {
        case .notFound:
            throw OAuthError(.invalidGrant, "The code is not valid.", detail: "unknown code")
        case .replayed:
            // RFC 6749 §4.1.2: "If an authorization code is used more than once, the
            // authorization server MUST deny the request and SHOULD revoke (when
            // possible) all tokens previously issued based on that authorization code."
            try context.store {
                try context.storage.revokeTokens(issuedFromCode: codeHash, at: now)
            }
            throw OAuthError(.invalidGrant, "The code is not valid.", detail: "code replayed")
        case .redeemed(let redeemed):
            record = redeemed
        }

        // RFC 6749 §4.1.3: ensure the code "was issued to the authenticated
        // confidential client", has not expired, and that a redirect_uri sent with the
        // authorization request is repeated here.
        guard record.clientRowID == client.id else {
            throw OAuthError(.invalidGrant, "The code is not valid.", detail: "other client")
        }
        guard now < record.expiresAt else {
            throw OAuthError(.invalidGrant, "The code has expired.", detail: "code expired")
        }
        // The seed's exchange has no code_verifier; a code bound to a PKCE challenge may
        // only be redeemed where the verifier is checked.
        guard record.codeChallenge == nil else {
            throw OAuthError(
                .invalidGrant, "This code needs a code_verifier; redeem it at /oauth/token.")
        }
        guard record.redirectURI == nil || record.redirectURI == redirectURI else {
            throw OAuthError(.invalidGrant, "The redirect_uri does not match the authorization.")
        }

        let tokens = try TokenIssuer(context: context).issueLegacyAccessToken(
            client: client, userID: record.userID, scopes: record.scopes, codeHash: codeHash)
        return (tokens, record.userID)
    }
}
