import LatchkeyCrypto
import LatchkeyStorage

/// What the ID token and the UserInfo endpoint say about a user (OIDC Core §5.1, §5.4).
enum Claims {
    /// OIDC Core §8.1 "public" subject identifier: the same for every client, stable for
    /// the user's lifetime, never reassigned, and not the database row id: a row id in
    /// clear would tell every client how many users there are and when each signed up.
    /// It is the HMAC-SHA-256 of the row id under a random secret kept in the database.
    static func subject(of userID: Int64, _ context: OAuthContext) throws(OAuthError) -> String {
        let secret = try context.signingKeys.subjectSecret(context)
        let mac = HMACSHA256.authenticationCode(
            key: secret, message: Array("user:\(userID)".utf8))
        return Base64URL.encode(mac)
    }

    /// The scope-dependent claims of OIDC Core §5.4: `profile` gives `name` (when the
    /// user set one), `preferred_username` and `updated_at`; `email` gives `email` and
    /// `email_verified`.
    static func scoped(_ user: User, scopes: [String]) -> [(key: String, value: JSONValue)] {
        var claims: [(key: String, value: JSONValue)] = []
        if scopes.contains("email") {
            claims.append(("email", .string(user.email)))
            // Latchkey never proves that a user owns their address, so it never says so.
            claims.append(("email_verified", .bool(false)))
        }
        if scopes.contains("profile") {
            if !user.name.isEmpty { claims.append(("name", .string(user.name))) }
            claims.append(("preferred_username", .string(user.username)))
            claims.append(("updated_at", .int(Int64(user.updatedAt.timeIntervalSince1970))))
        }
        return claims
    }
}
