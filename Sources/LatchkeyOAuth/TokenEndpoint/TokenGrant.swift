/// One grant type of `/oauth/token`: each lives in its own file behind this interface,
/// and runs only after the client is authenticated and allowed the grant.
protocol TokenGrant: Sendable {
    func issue(_ request: TokenRequest, to client: AuthenticatedClient) throws(OAuthError)
        -> IssuedGrant
}

/// What a grant handed out, and for whom.
public struct IssuedGrant: Sendable, Equatable {
    public var response: TokenResponse
    /// The resource owner; nil for a token the client holds for itself.
    public var userID: Int64?

    public init(response: TokenResponse, userID: Int64?) {
        self.response = response
        self.userID = userID
    }
}
