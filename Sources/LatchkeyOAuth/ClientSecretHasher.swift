import LatchkeyCrypto

/// SPEC §9: client secrets are checked with a fast keyed hash. They hold 256 random bits,
/// so a slow password hash would buy nothing but CPU on every token request.
///
/// The hash is HMAC-SHA-256 under a key derived from the deployment's key encryption key,
/// stored as `hmac-sha256:` and 64 hex digits. The key lives outside the database, so a
/// copy of the database alone cannot even confirm a guessed secret.
///
/// Earlier versions stored the plain SHA-256 hex of the secret, with no prefix. Such a
/// hash still verifies, and the verdict says to store the secret again in the keyed form.
public struct ClientSecretHasher: Sendable {
    /// What a keyed hash starts with, so that it cannot be mistaken for a plain SHA-256.
    public static let prefix = "hmac-sha256:"

    /// The key encryption key also seals the signing keys; one key never serves two
    /// purposes directly, so this purpose gets its own key, named by this label.
    public static let derivationLabel = "latchkey client secret hash v1"

    private let key: HMACSHA256Key

    /// Derives the hashing key, HMAC-SHA-256(key encryption key, `derivationLabel`), once:
    /// requests then pay for one HMAC and no derivation.
    public init(keyEncryptionKey: [UInt8]) {
        let derived = HMACSHA256.authenticationCode(
            key: keyEncryptionKey, message: Array(Self.derivationLabel.utf8))
        key = HMACSHA256Key(derived)
    }

    /// What is stored for a new secret.
    public func storedHash(of secret: String) -> String {
        Self.prefix + keyedDigest(of: secret)
    }

    public enum Verdict: Sendable, Equatable {
        case mismatch
        case match
        /// It matches a plain SHA-256 that an earlier version stored: store it keyed now.
        case matchesUnkeyedHash
    }

    /// Compares `presented` with `stored` through its hash, in constant time.
    public func verify(_ presented: String, against stored: String) -> Verdict {
        guard stored.hasPrefix(Self.prefix) else {
            let matches = constantTimeEquals(
                Array(SHA256.hexDigest(presented).utf8), Array(stored.utf8))
            return matches ? .matchesUnkeyedHash : .mismatch
        }
        return matchesKeyedHash(presented, storedHex: stored.utf8.dropFirst(Self.prefix.utf8.count))
            ? .match : .mismatch
    }

    /// The keyed digest of `presented`, in hex, compared with the stored hex in constant
    /// time; all on the stack, since every client authentication comes through here.
    private func matchesKeyedHash(_ presented: String, storedHex: Substring.UTF8View) -> Bool {
        var presented = presented
        var storedHex = Substring(storedHex)
        return presented.withUTF8 { secret in
            storedHex.withUTF8 { storedHex in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { code in
                    key.authenticationCode(UnsafeRawBufferPointer(secret), into: code.baseAddress!)
                    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { hex in
                        Hex.write(UnsafeBufferPointer(code), into: hex.baseAddress!)
                        return constantTimeEquals(UnsafeBufferPointer(hex), storedHex)
                    }
                }
            }
        }
    }

    private func keyedDigest(of secret: String) -> String {
        Hex.encode(key.authenticationCode(Array(secret.utf8)))
    }
}
