import LatchkeyCrypto

/// JWS Compact Serialization (RFC 7515 §7.1) of a JSON payload, which is all an ID token
/// needs: `BASE64URL(header) . BASE64URL(payload) . BASE64URL(signature)`.
///
/// Header and payload are serialized by ``JSONValue`` with their members in the order
/// written, so that the same claims always give the same bytes.
enum JWS {
    static func sign(header: JSONValue, payload: JSONValue, with key: SigningKey)
        throws(KeyError) -> String
    {
        let signingInput =
            Base64URL.encode(Array(header.serialized.utf8)) + "."
            + Base64URL.encode(Array(payload.serialized.utf8))
        let signature = try key.sign(Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }

    /// The protected header of RFC 7515 §4.1: `alg`, the `kid` that finds the key in the
    /// JWKS, and `typ` as RFC 7519 §5.1 recommends.
    static func header(algorithm: SigningAlgorithm, kid: String) -> JSONValue {
        .object([
            ("alg", .string(algorithm.rawValue)), ("kid", .string(kid)), ("typ", .string("JWT")),
        ])
    }
}
