import LatchkeyCrypto

/// SPEC §10: every credential starts with its own short prefix, so that a leaked one
/// can be recognised (by a person or a secret scanner) for what it is.
public enum CredentialKind: String, Sendable, CaseIterable {
    case accessToken = "lka_"
    case refreshToken = "lkr_"
    case authorizationCode = "lkc_"
    case clientSecret = "lks_"
    case session = "lkx_"

    /// A new credential: the prefix and 256 random bits.
    public func generate() -> String {
        Credential.generate(prefix: rawValue)
    }
}

/// Only hashes of credentials are stored; this is the one hash used for lookups.
/// The credentials carry 256 random bits, so a fast hash is as strong as a slow one.
public func storageHash(of credential: String) -> String {
    SHA256.hexDigest(credential)
}
