/// The client credentials grant (RFC 6749 §4.4): a confidential client obtains a token
/// for itself, with no user behind it.
struct ClientCredentialsGrant: TokenGrant {
    let context: OAuthContext

    func issue(_ request: TokenRequest, to authenticated: AuthenticatedClient)
        throws(OAuthError) -> IssuedGrant
    {
        // RFC 6749 §4.4: "The client credentials grant type MUST only be used by
        // confidential clients."
        guard authenticated.isConfidential else {
            throw OAuthError(
                .unauthorizedClient, "Only a confidential client may use client_credentials.")
        }
        let client = authenticated.client

        let scopes = try TokenScopes(catalog: context.configuration.scopes).requested(
            request["scope"], by: client)

        // RFC 6749 §4.4.3: "A refresh token SHOULD NOT be included": the client can
        // always ask again with its own credentials. Nothing else depends on the write,
        // so it is queued: this is the grant machine clients call in a loop.
        let issued = try TokenIssuer(context: context).issueTokensQueued(
            client: client, userID: nil, scopes: scopes, refreshable: false)
        return IssuedGrant(response: issued.response, userID: nil, stored: issued.stored)
    }
}
