import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The authorization code grant at `/oauth/token` (RFC 6749 §4.1.3), with PKCE
/// (RFC 7636 §4.5, §4.6).
///
/// The code is claimed in one conditional update before it is checked against the
/// request, so a code presented with a wrong verifier, redirect URI or client is spent:
/// whoever holds a stolen code gets one try, and the rightful client's later attempt
/// reports the theft as a replay. Client authentication runs before this grant, so a
/// request refused for that leaves the code unused.
struct AuthorizationCodeGrant: TokenGrant {
    let context: OAuthContext

    func issue(_ request: TokenRequest, to authenticated: AuthenticatedClient)
        throws(OAuthError) -> IssuedGrant
    {
        let client = authenticated.client
        guard let code = request["code"] else {
            throw OAuthError(.invalidRequest, "The request has no code.")
        }
        guard CredentialKind.authorizationCode.isWellFormed(code) else {
            throw OAuthError(.invalidGrant, "The code is not valid.", detail: "malformed code")
        }
        let now = context.clock.now()
        let codeHash = storageHash(of: code)

        let record = try redeem(codeHash, at: now)

        // RFC 6749 §4.1.3: ensure the code "was issued to the authenticated confidential
        // client, or if the client is public, ensure that the code was issued to
        // "client_id" in the request".
        guard record.clientRowID == client.id else {
            throw OAuthError(.invalidGrant, "The code is not valid.", detail: "other client")
        }
        guard now < record.expiresAt else {
            throw OAuthError(.invalidGrant, "The code has expired.", detail: "code expired")
        }
        try Self.checkRedirectURI(request["redirect_uri"], against: record, client: client)
        try Self.checkProofKey(request["code_verifier"], against: record, client: client)

        let response = try TokenIssuer(context: context).issueTokens(
            client: client, userID: record.userID, scopes: record.scopes,
            refreshable: client.allows(grantType: GrantType.refreshToken.rawValue),
            codeHash: codeHash, authTime: record.authTime, nonce: record.nonce)
        return IssuedGrant(response: response, userID: record.userID)
    }

    private func redeem(_ codeHash: String, at now: Date) throws(OAuthError) -> AuthorizationCode {
        let redemption = try context.store {
            try context.storage.redeemCode(hash: codeHash, at: now)
        }
        switch redemption {
        case .notFound:
            throw OAuthError(.invalidGrant, "The code is not valid.", detail: "unknown code")
        case .replayed:
            // RFC 6749 §4.1.2: "If an authorization code is used more than once, the
            // authorization server MUST deny the request and SHOULD revoke (when
            // possible) all tokens previously issued based on that authorization code."
            // Refresh rotation hands the code's hash down, so this reaches every token
            // the code led to.
            try context.store {
                try context.storage.revokeTokens(issuedFromCode: codeHash, at: now)
            }
            throw OAuthError(.invalidGrant, "The code is not valid.", detail: "code replayed")
        case .redeemed(let record):
            return record
        }
    }

    /// RFC 6749 §4.1.3: the redirect_uri is required "if the "redirect_uri" parameter
    /// was included in the authorization request", and "their values MUST be
    /// identical". A code whose request named none went to the client's first callback,
    /// so a redirect_uri sent anyway must be that one.
    static func checkRedirectURI(
        _ sent: String?, against record: AuthorizationCode, client: Client
    ) throws(OAuthError) {
        let matches: Bool
        if let requested = record.redirectURI {
            matches = sent == requested
        } else {
            matches =
                sent == nil
                || sent == RedirectURI.resolve(requested: nil, registered: client.callbackURLs)
        }
        guard matches else {
            throw OAuthError(
                .invalidGrant, "The redirect_uri does not match the authorization request.")
        }
    }

    /// RFC 7636 §4.6 with SPEC §4's rules: S256 only, and public clients always prove
    /// possession.
    static func checkProofKey(
        _ verifier: String?, against record: AuthorizationCode, client: Client
    ) throws(OAuthError) {
        switch (record.codeChallenge, verifier) {
        case (nil, nil):
            guard !client.isPublic else {
                throw OAuthError(
                    .invalidGrant, "A public client must use PKCE.", detail: "code without PKCE")
            }
        case (nil, .some):
            throw OAuthError(
                .invalidGrant, "The code was issued without a code_challenge.",
                detail: "verifier without challenge")
        case (.some, nil):
            throw OAuthError(.invalidRequest, "The request has no code_verifier.")
        case (.some(let challenge), .some(let verifier)):
            guard record.codeChallengeMethod == PKCE.s256 else {
                throw OAuthError(
                    .invalidGrant, "Only the S256 code_challenge_method is accepted.",
                    detail: "stored method \(record.codeChallengeMethod ?? "none")")
            }
            guard PKCE.verify(verifier: verifier, challenge: challenge) else {
                throw OAuthError(
                    .invalidGrant, "The code_verifier does not match the code_challenge.")
            }
        }
    }
}
