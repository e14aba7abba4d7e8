import LatchkeyCrypto

/// The OpenID Connect Discovery 1.0 §3 members, published in both metadata documents
/// (RFC 8414 §2 registers them for `/.well-known/oauth-authorization-server` as well).
public enum OpenIDProviderMetadata {
    /// Every claim an ID token or the UserInfo endpoint may carry.
    public static let claims = [
        "iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "email",
        "email_verified", "name", "preferred_username", "updated_at",
    ]

    static func members(_ configuration: OAuthConfiguration) -> [(key: String, value: JSONValue)] {
        let issuer = configuration.issuer
        func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
        return [
            ("userinfo_endpoint", .string(issuer + "/oauth/userinfo")),
            ("jwks_uri", .string(issuer + "/oauth/jwks")),
            ("subject_types_supported", strings(["public"])),
            (
                "id_token_signing_alg_values_supported",
                strings(SigningAlgorithm.allCases.map(\.rawValue))
            ),
            ("claims_supported", strings(claims)),
            ("prompt_values_supported", strings(["none", "login", "consent", "select_account"])),
            ("claims_parameter_supported", .bool(false)),
            ("request_parameter_supported", .bool(false)),
            // Discovery §3: the default is true, so a server without it must say so.
            ("request_uri_parameter_supported", .bool(false)),
        ]
    }
}
