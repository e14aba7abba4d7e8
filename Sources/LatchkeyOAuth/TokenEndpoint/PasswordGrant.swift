import LatchkeyStorage

/// The resource owner password credentials grant (RFC 6749 §4.3). It is the seed's
/// non-web flow in its standard shape, so it shares that flow's per-client switch and
/// the lockout of SPEC §5: the same account and address counters, the same 429.
struct PasswordGrant: TokenGrant {
    let context: OAuthContext
    let audit: AuditSink

    func issue(_ request: TokenRequest, to authenticated: AuthenticatedClient)
        throws(OAuthError) -> IssuedGrant
    {
        let client = authenticated.client
        guard let username = request["username"] else {
            throw OAuthError(.invalidRequest, "The request has no username.")
        }
        guard let password = request["password"] else {
            throw OAuthError(.invalidRequest, "The request has no password.")
        }
        let scopes = try TokenScopes(catalog: context.configuration.scopes).requested(
            request["scope"], by: client)

        let user: User
        do {
            user = try Accounts(context: context).authenticate(
                login: username, password: password, remoteAddress: request.remoteAddress)
        } catch {
            if error.code == .invalidGrant { audit(.loginFailed(clientID: client.clientID)) }
            throw error
        }

        // The user handed the client their password, which is consent: the grant shows
        // on their account page like any other, and revoking it there ends these tokens.
        // It is recorded with the tokens, so that neither is kept without the other.
        let response = try TokenIssuer(context: context).issueTokens(
            client: client, userID: user.id, scopes: scopes,
            refreshable: client.allows(grantType: GrantType.refreshToken.rawValue), codeHash: nil,
            authTime: context.clock.now(), recordingGrant: true)
        return IssuedGrant(response: response, userID: user.id)
    }
}
