#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A person who can sign in and grant applications access.
public struct User: Sendable, Equatable {
    public var id: Int64
    public var username: String
    public var email: String
    public var name: String
    /// An Argon2id encoded hash (`$argon2id$v=19$...`); never the password.
    public var passwordHash: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, username: String, email: String, name: String, passwordHash: String,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.username = username
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// What a new user row needs; the store assigns the id.
public struct NewUser: Sendable {
    public var username: String
    public var email: String
    public var name: String
    public var passwordHash: String
    public var createdAt: Date

    public init(
        username: String, email: String, name: String, passwordHash: String, createdAt: Date
    ) {
        self.username = username
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }
}

/// A registered third-party application.
public struct Client: Sendable, Equatable {
    /// The row id; never shown outside.
    public var id: Int64
    /// The public identifier (`client_id`).
    public var clientID: String
    public var name: String
    /// The Main Application URL: where Deny sends the user.
    public var mainURL: String
    /// Registered callbacks, in the order the developer gave them. Never empty.
    public var callbackURLs: [String]
    /// A keyed hash of the client secret, or nil for a public client.
    public var secretHash: String?
    public var ownerUserID: Int64?
    /// Grant types this client may use (`authorization_code`, `refresh_token`, `password`...).
    public var grantTypes: [String]
    /// Scopes granted when a request names none.
    public var defaultScopes: [String]
    /// The scopes this client may ask for; empty means every scope the server offers.
    public var allowedScopes: [String]
    public var createdAt: Date
    /// The JWS `alg` of this client's ID tokens (`RS256` or `ES256`), OIDC Registration's
    /// `id_token_signed_response_alg`; set when the client is created.
    public var idTokenSigningAlgorithm: String

    public var isPublic: Bool { secretHash == nil }

    public init(
        id: Int64, clientID: String, name: String, mainURL: String, callbackURLs: [String],
        secretHash: String?, ownerUserID: Int64?, grantTypes: [String], defaultScopes: [String],
        allowedScopes: [String] = [], createdAt: Date, idTokenSigningAlgorithm: String = "RS256"
    ) {
        self.idTokenSigningAlgorithm = idTokenSigningAlgorithm
        self.id = id
        self.clientID = clientID
        self.name = name
        self.mainURL = mainURL
        self.callbackURLs = callbackURLs
        self.secretHash = secretHash
        self.ownerUserID = ownerUserID
        self.grantTypes = grantTypes
        self.defaultScopes = defaultScopes
        self.allowedScopes = allowedScopes
        self.createdAt = createdAt
    }
}

/// What a new client row needs; the store assigns the row id.
public struct NewClient: Sendable {
    public var clientID: String
    public var name: String
    public var mainURL: String
    public var callbackURLs: [String]
    public var secretHash: String?
    public var ownerUserID: Int64?
    public var grantTypes: [String]
    public var defaultScopes: [String]
    public var allowedScopes: [String]
    public var createdAt: Date
    public var idTokenSigningAlgorithm: String

    public init(
        clientID: String, name: String, mainURL: String, callbackURLs: [String],
        secretHash: String?, ownerUserID: Int64?, grantTypes: [String], defaultScopes: [String],
        allowedScopes: [String] = [], createdAt: Date, idTokenSigningAlgorithm: String = "RS256"
    ) {
        self.idTokenSigningAlgorithm = idTokenSigningAlgorithm
        self.clientID = clientID
        self.name = name
        self.mainURL = mainURL
        self.callbackURLs = callbackURLs
        self.secretHash = secretHash
        self.ownerUserID = ownerUserID
        self.grantTypes = grantTypes
        self.defaultScopes = defaultScopes
        self.allowedScopes = allowedScopes
        self.createdAt = createdAt
    }
}

/// A user's standing permission for one client: one row per (user, client).
public struct Grant: Sendable, Equatable {
    public var userID: Int64
    public var clientRowID: Int64
    public var scopes: [String]
    public var createdAt: Date
    public var lastUsedAt: Date?

    public init(
        userID: Int64, clientRowID: Int64, scopes: [String], createdAt: Date, lastUsedAt: Date?
    ) {
        self.userID = userID
        self.clientRowID = clientRowID
        self.scopes = scopes
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }
}

/// An authorization code, stored under the SHA-256 of the code.
public struct AuthorizationCode: Sendable, Equatable {
    public var codeHash: String
    public var clientRowID: Int64
    public var userID: Int64
    /// The redirect URI the code was sent to; nil when the request named none.
    public var redirectURI: String?
    public var scopes: [String]
    public var codeChallenge: String?
    public var codeChallengeMethod: String?
    public var nonce: String?
    public var createdAt: Date
    public var expiresAt: Date
    /// Set once, atomically, on first redemption.
    public var usedAt: Date?
    /// When the user last signed in, for the ID token's `auth_time` (OIDC Core §2).
    public var authTime: Date?

    public init(
        codeHash: String, clientRowID: Int64, userID: Int64, redirectURI: String?,
        scopes: [String], codeChallenge: String?, codeChallengeMethod: String?, nonce: String?,
        createdAt: Date, expiresAt: Date, usedAt: Date?, authTime: Date? = nil
    ) {
        self.authTime = authTime
        self.codeHash = codeHash
        self.clientRowID = clientRowID
        self.userID = userID
        self.redirectURI = redirectURI
        self.scopes = scopes
        self.codeChallenge = codeChallenge
        self.codeChallengeMethod = codeChallengeMethod
        self.nonce = nonce
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }
}

public enum TokenKind: String, Sendable {
    case access
    case refresh
}

/// An access or refresh token, stored under the SHA-256 of the token.
public struct Token: Sendable, Equatable {
    public var tokenHash: String
    public var kind: TokenKind
    public var clientRowID: Int64
    /// Nil for a token issued to the client itself (client credentials).
    public var userID: Int64?
    public var scopes: [String]
    public var createdAt: Date
    /// Nil means the token lives until revoked (legacy tokens, by default).
    public var expiresAt: Date?
    public var revokedAt: Date?
    /// The hash of the authorization code this token was issued from, so that a
    /// replayed code can revoke it.
    public var codeHash: String?
    /// Every token descended from one authorization shares a family id, so that a
    /// replayed refresh token can revoke them all.
    public var familyID: String
    /// When the user signed in for the authorization this token descends from, so that
    /// an ID token issued on refresh carries the original `auth_time` (OIDC Core §12.2).
    public var authTime: Date?

    public init(
        tokenHash: String, kind: TokenKind, clientRowID: Int64, userID: Int64?, scopes: [String],
        createdAt: Date, expiresAt: Date?, revokedAt: Date?, codeHash: String?, familyID: String,
        authTime: Date? = nil
    ) {
        self.authTime = authTime
        self.tokenHash = tokenHash
        self.kind = kind
        self.clientRowID = clientRowID
        self.userID = userID
        self.scopes = scopes
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.codeHash = codeHash
        self.familyID = familyID
    }

    /// Whether the token may be used at `now`.
    public func isActive(at now: Date) -> Bool {
        guard revokedAt == nil else { return false }
        guard let expiresAt else { return true }
        return now < expiresAt
    }
}

/// A browser session, stored under the SHA-256 of the cookie value.
public struct Session: Sendable, Equatable {
    public var idHash: String
    public var userID: Int64
    /// The per-session secret that CSRF tokens are derived from; random, never shown.
    public var csrfSecret: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(idHash: String, userID: Int64, csrfSecret: String, createdAt: Date, expiresAt: Date)
    {
        self.idHash = idHash
        self.userID = userID
        self.csrfSecret = csrfSecret
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// The outcome of presenting a refresh token for rotation.
public enum RefreshRotation: Sendable, Equatable {
    /// The token was active; it is now revoked and its replacements are stored.
    case rotated(Token)
    /// The token was already revoked: a replay, or a race lost to another rotation.
    case reused(Token)
    case notFound
}

/// The outcome of presenting an authorization code.
public enum CodeRedemption: Sendable, Equatable {
    /// First use: the code is now marked used and returned.
    case redeemed(AuthorizationCode)
    /// The code was already used before; the caller must revoke what it issued.
    case replayed(AuthorizationCode)
    case notFound
}

/// A key that signs ID tokens, as stored: the public key in clear, the private key only
/// sealed (AES-256-GCM under the operator's key encryption key).
public struct StoredSigningKey: Sendable, Equatable {
    /// The JWK `kid`: the RFC 7638 thumbprint of the public key.
    public var kid: String
    /// The JWS `alg`, `RS256` or `ES256`.
    public var algorithm: String
    /// The DER SubjectPublicKeyInfo, base64-encoded.
    public var publicKey: String
    /// `nonce || ciphertext || tag` of the DER private key, base64-encoded.
    public var sealedPrivateKey: String
    public var createdAt: Date
    /// When a newer key took over signing; the key is still published until every ID
    /// token it signed has expired.
    public var retiredAt: Date?

    public init(
        kid: String, algorithm: String, publicKey: String, sealedPrivateKey: String,
        createdAt: Date, retiredAt: Date?
    ) {
        self.kid = kid
        self.algorithm = algorithm
        self.publicKey = publicKey
        self.sealedPrivateKey = sealedPrivateKey
        self.createdAt = createdAt
        self.retiredAt = retiredAt
    }
}
