import Foundation
import LatchkeyCrypto
import LatchkeyStorage

/// Tokens as handed to a client, before they become a JSON body.
public struct IssuedTokens: Sendable, Equatable {
    public var accessToken: String
    /// Seconds until the access token expires; nil when it lives until revoked.
    public var expiresIn: Int?
    public var scopes: [String]
    /// For the log: the first 8 hex digits of the access token's hash.
    public var accessTokenHashPrefix: String

    /// RFC 6749 §5.1. Legacy responses carry `expires_in` only when the token expires.
    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("access_token", .string(accessToken)), ("token_type", .string("Bearer")),
        ]
        if let expiresIn { members.append(("expires_in", .int(Int64(expiresIn)))) }
        members.append(("scope", .string(scopes.scopeString)))
        return .object(members)
    }
}

/// Mints and stores access tokens.
public struct TokenIssuer: Sendable {
    let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    /// Issues an access token for the legacy endpoints: no expiry unless the operator
    /// set a lifetime.
    public func issueLegacyAccessToken(
        client: Client, userID: Int64, scopes: [String], codeHash: String?
    ) throws(OAuthError) -> IssuedTokens {
        let now = context.clock.now()
        let lifetime = context.configuration.legacyTokenLifetime
        let token = CredentialKind.accessToken.generate()
        let hash = storageHash(of: token)
        let record = Token(
            tokenHash: hash, kind: .access, clientRowID: client.id, userID: userID,
            scopes: scopes, createdAt: now, expiresAt: lifetime.map(now.addingTimeInterval),
            revokedAt: nil, codeHash: codeHash,
            familyID: Hex.encode(SecureRandom.bytes(count: 16)))
        try context.store { try context.storage.storeToken(record) }

        return IssuedTokens(
            accessToken: token, expiresIn: lifetime.map { Int($0) }, scopes: scopes,
            accessTokenHashPrefix: String(hash.prefix(8)))
    }
}
