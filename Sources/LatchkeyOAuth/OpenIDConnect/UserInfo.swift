import LatchkeyStorage

/// The UserInfo endpoint (OIDC Core §5.3): claims about the user behind an access token
/// that holds `openid`, as many as its scopes allow.
public enum UserInfo {
    public static func json(of user: User, scopes: [String], context: OAuthContext)
        throws(OAuthError) -> JSONValue
    {
        // OIDC Core §5.3.2: "The sub (subject) Claim MUST always be returned in the
        // UserInfo Response."
        let subject = try Claims.subject(of: user.id, context)
        return .object([("sub", .string(subject))] + Claims.scoped(user, scopes: scopes))
    }
}
