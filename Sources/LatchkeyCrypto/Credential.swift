/// Opaque bearer credentials (tokens, codes, client secrets, session ids).
///
/// A credential is `prefix + base64url(random bytes)`: the prefix names its kind so a
/// leaked one can be recognised by secret scanners (SPEC §4), and 32 random bytes give
/// 256 bits of entropy.
public enum Credential {
    /// A new credential such as `lka_` followed by 43 base64url characters.
    public static func generate(prefix: String, randomBytes: Int = 32) -> String {
        prefix + Base64URL.encode(SecureRandom.bytes(count: randomBytes))
    }
}
