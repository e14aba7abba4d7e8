import LatchkeyStorage

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
    /// Set when the tokens are queued for their commit rather than stored: the response
    /// may reach the client only once this finishes without an error.
    public var stored: CommitTicket?

    public init(response: TokenResponse, userID: Int64?, stored: CommitTicket? = nil) {
        self.response = response
        self.userID = userID
        self.stored = stored
    }
}
