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
        var body = rawValue + Base64URL.encode(SecureRandom.bytes(count: 32))
        let checksum = body.withUTF8 { Self.checksum(of: UnsafeRawBufferPointer($0)) }
        return body + checksum
    }

    /// Whether `credential` has this kind's prefix, the right length and alphabet, and a
    /// checksum that matches.
    ///
    /// Runs on the credential's own bytes: every API call and token request checks one,
    /// and slicing it into strings and arrays cost as much as the hash.
    public func isWellFormed(_ credential: String) -> Bool {
        var credential = credential
        return credential.withUTF8 { bytes in
            guard bytes.count == rawValue.utf8.count + Self.randomLength + Self.checksumLength,
                bytes.starts(with: rawValue.utf8),
                bytes.allSatisfy(Base64URLAlphabet.contains)
            else { return false }
            let checksumStart = bytes.count - Self.checksumLength
            let body = UnsafeBufferPointer(rebasing: bytes[..<checksumStart])
            return Self.checksum(of: UnsafeRawBufferPointer(body)).utf8.elementsEqual(
                bytes[checksumStart...])
        }
    }

    /// Six base64url characters: the first 32 bits of the SHA-256 of `body`. Short
    /// enough to stay a small string, which needs no allocation.
    private static func checksum(of body: UnsafeRawBufferPointer) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: SHA256.digestLength) {
            digest in
            SHA256.hash(body, into: digest.baseAddress!)
            let firstFour = UnsafeBufferPointer(rebasing: digest[..<4])
            return Base64URL.encode(UnsafeRawBufferPointer(firstFour))
        }
    }
}

/// Only hashes of credentials are stored; this is the one hash used for lookups.
/// The credentials carry 256 random bits, so a fast hash is as strong as a slow one.
public func storageHash(of credential: String) -> String {
    SHA256.hexDigest(credential)
}
