import LatchkeyCrypto

/// SPEC §10: every credential starts with its own short prefix, so that a leaked one
/// can be recognised (by a person or a secret scanner) for what it is.
///
/// The format is the prefix, 256 random bits in base64url (43 characters), and a
/// checksum of 6 base64url characters: the first 32 bits of the SHA-256 of what comes
/// before it. A scanner can confirm a match without asking Latchkey, and a mistyped or
/// truncated credential is refused before any database lookup.
public enum CredentialKind: String, Sendable, CaseIterable {
    case accessToken = "lka_"
    case refreshToken = "lkr_"
    case authorizationCode = "lkc_"
    case clientSecret = "lks_"
    case session = "lkx_"
    /// RFC 8628 §3.2 `device_code`: the device's own secret for polling.
    case deviceCode = "lkd_"

    static let randomLength = 43
    static let checksumLength = 6

    /// A new credential: the prefix, 256 random bits and the checksum.
    public func generate() -> String {
        let body = rawValue + Base64URL.encode(SecureRandom.bytes(count: 32))
        return body + Self.checksum(of: body)
    }

    /// Whether `credential` has this kind's prefix, the right length and alphabet, and a
    /// checksum that matches.
    public func isWellFormed(_ credential: String) -> Bool {
        let utf8 = credential.utf8
        guard utf8.count == rawValue.utf8.count + Self.randomLength + Self.checksumLength,
            credential.hasPrefix(rawValue),
            Base64URLAlphabet.contains(credential)
        else { return false }
        // Every byte is ASCII by now, so the cut falls between characters.
        let checksumStart = utf8.index(utf8.endIndex, offsetBy: -Self.checksumLength)
        return credential[checksumStart...]
            == Self.checksum(of: String(credential[..<checksumStart]))
    }

    private static func checksum(of body: String) -> String {
        Base64URL.encode(Array(SHA256.hash(Array(body.utf8)).prefix(4)))
    }
}

/// Only hashes of credentials are stored; this is the one hash used for lookups.
/// The credentials carry 256 random bits, so a fast hash is as strong as a slow one.
public func storageHash(of credential: String) -> String {
    SHA256.hexDigest(credential)
}
