import LatchkeyCrypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The operator's choices that the protocol logic depends on.
public struct OAuthConfiguration: Sendable {
    /// RFC 6749 §4.1.2 recommends at most 10 minutes; the default is 60 seconds.
    public var codeLifetime: TimeInterval = 60
    /// Lifetime of tokens issued on the legacy endpoints; nil keeps them until revoked,
    /// as the seed document promises ("Save it.").
    public var legacyTokenLifetime: TimeInterval? = nil
    /// Lifetime of access tokens issued by `/oauth/token`.
    public var accessTokenLifetime: TimeInterval = 3600
    /// Lifetime of each refresh token; every use replaces it with a new one.
    public var refreshTokenLifetime: TimeInterval = 30 * 24 * 3600
    public var sessionLifetime: TimeInterval = 14 * 24 * 3600
    /// The authorization server's issuer identifier (RFC 8414 §2, RFC 9207): its public
    /// URL, without a trailing slash.
    public var issuer = "http://127.0.0.1:8080"
    public var scopes: ScopeCatalog = .builtIn
    /// How long an ID token is valid (its `exp`), and so how long a retired signing key
    /// stays in the JWKS.
    public var idTokenLifetime: TimeInterval = 3600
    /// The deployment's 32-byte key encryption key: the AES-256-GCM key that seals private
    /// signing keys in the database, and the key the client secret hashing key is derived
    /// from. Nil (or another length) leaves OpenID Connect unable to sign and client
    /// secrets unable to be made or checked: those requests fail with `server_error`.
    public var keyEncryptionKey: [UInt8]? = nil {
        didSet {
            clientSecretHasher = keyEncryptionKey.flatMap { key in
                key.count == AESGCM.keyLength ? ClientSecretHasher(keyEncryptionKey: key) : nil
            }
        }
    }
    /// Derived whenever `keyEncryptionKey` is set, so that no request derives it.
    public private(set) var clientSecretHasher: ClientSecretHasher? = nil
    public var lockout = LockoutPolicy()
    /// RFC 8628 §3.2 `expires_in`: how long a device code and its user code live.
    public var deviceCodeLifetime: TimeInterval = 600
    /// RFC 8628 §3.2 `interval`: seconds a device waits between polls, at first.
    public var devicePollInterval = 5
    /// Wrong user codes on `/device`, counted per user (`accountLimit`) and per address
    /// like failed passwords: the user code is short, so guessing must stay slow.
    public var userCodeAttempts = LockoutPolicy()

    public init() {}
}

/// SPEC §10: after 10 failed passwords for one account, or 50 from one address,
/// within 15 minutes, further attempts are refused until the window passes.
public struct LockoutPolicy: Sendable {
    public var accountLimit = 10
    public var addressLimit = 50
    public var window: TimeInterval = 15 * 60

    public init() {}
}

/// Where "now" comes from; tests move it instead of sleeping.
public struct Clock: Sendable {
    public var now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    public static let system = Clock { Date() }
}
