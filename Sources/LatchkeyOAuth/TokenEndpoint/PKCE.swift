import LatchkeyCrypto

/// Proof Key for Code Exchange (RFC 7636), with the `S256` method only: `plain` would
/// put the secret itself in the authorization request, which is what PKCE exists to avoid.
public enum PKCE {
    /// The one transformation Latchkey accepts (RFC 7636 §4.2).
    public static let s256 = "S256"

    /// RFC 7636 §4.1: the verifier has "a minimum length of 43 characters and a maximum
    /// length of 128 characters".
    public static let verifierLengths = 43...128

    /// RFC 7636 §4.2: `BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))`.
    public static func s256Challenge(of verifier: String) -> String {
        Base64URL.encode(SHA256.hash(Array(verifier.utf8)))
    }

    /// Whether `verifier` proves possession for `challenge` under S256 (RFC 7636 §4.6).
    ///
    /// SPEC §10: a verifier of the right length is accepted even when it holds
    /// characters outside RFC 7636's unreserved set, because some shipped clients send
    /// standard base64 (`+`, `/`, `=`). The character set adds no strength; the hash
    /// comparison does the work, in constant time.
    public static func verify(verifier: String, challenge: String) -> Bool {
        guard verifierLengths.contains(verifier.utf8.count) else { return false }
        return constantTimeEquals(
            Array(s256Challenge(of: verifier).utf8), Array(challenge.utf8))
    }
}
