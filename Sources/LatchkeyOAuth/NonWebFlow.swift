import LatchkeyStorage

/// The seed's "Non Web Application Flow": `POST /authorize?client_id=X&client_secret=Y`
/// with the user's credentials in HTTP Basic. It is the resource owner password grant
/// (RFC 6749 §4.3) in another shape, so a client with `password` turned off cannot use it.
public struct NonWebFlow: Sendable {
    let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    public func authorize(
        client: Client, login: String?, password: String?, remoteAddress: String
    ) throws(OAuthError) -> (tokens: IssuedTokens, user: User) {
        guard client.allows(grantType: "password") else {
            throw OAuthError(
                .unauthorizedClient, "This client may not use the password flow.")
        }
        guard let login, !login.isEmpty, let password else {
            throw OAuthError(
                .invalidRequest, "Send the user's credentials with HTTP Basic authentication.",
                status: 401)
        }

        var user: User
        do {
            user = try Accounts(context: context).authenticate(
                login: login, password: password, remoteAddress: remoteAddress)
        } catch let error where error.code == .invalidGrant {
            // The seed's flow is HTTP Basic, so a wrong password is a 401 challenge.
            var challenge = error
            challenge.status = 401
            throw challenge
        }

        // Signing in here is consent: the grant is recorded with the token.
        let scopes = client.defaultScopes
        let tokens = try TokenIssuer(context: context).issueLegacyAccessToken(
            client: client, userID: user.id, scopes: scopes, codeHash: nil, recordingGrant: true)
        user.passwordHash = ""
        return (tokens, user)
    }
}
