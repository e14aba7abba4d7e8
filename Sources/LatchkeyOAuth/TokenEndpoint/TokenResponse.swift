/// A successful answer of `/oauth/token` (RFC 6749 §5.1).
public struct TokenResponse: Sendable, Equatable {
    public var accessToken: String
    /// SPEC §10: `/oauth/token` always says when its access token expires.
    public var expiresIn: Int
    /// Present when the grant and the client allow refreshing.
    public var refreshToken: String?
    /// SPEC §10: always sent, even when it equals what was asked for.
    public var scopes: [String]
    /// For the log: the first 8 hex digits of the access token's hash.
    public var accessTokenHashPrefix: String
    /// OIDC Core §3.1.3.3: present when `openid` was granted to a user's token.
    public var idToken: String?

    public init(
        accessToken: String, expiresIn: Int, refreshToken: String?, scopes: [String],
        accessTokenHashPrefix: String
    ) {
        self.accessToken = accessToken
        self.expiresIn = expiresIn
        self.refreshToken = refreshToken
        self.scopes = scopes
        self.accessTokenHashPrefix = accessTokenHashPrefix
    }

    /// The RFC 6749 §5.1 body, in the order the RFC lists its members.
    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("access_token", .string(accessToken)), ("token_type", .string("Bearer")),
            ("expires_in", .int(Int64(expiresIn))),
        ]
        if let refreshToken { members.append(("refresh_token", .string(refreshToken))) }
        members.append(("scope", .string(scopes.scopeString)))
        if let idToken { members.append(("id_token", .string(idToken))) }
        return .object(members)
    }
}
