/// RFC 8414 authorization server metadata: exactly what this server supports, so that a
/// client library configured from it needs nothing else.
public enum AuthorizationServerMetadata {
    public static let grantTypes = [
        "authorization_code", "refresh_token", "client_credentials", "password",
        GrantType.deviceCode.rawValue,
    ]
    public static let clientAuthenticationMethods = [
        "client_secret_basic", "client_secret_post", "none",
    ]

    /// The RFC 8414 members, then the OpenID Connect ones (RFC 8414 §7.2 registers them
    /// for this document too): one document for both well-known addresses.
    public static func json(_ configuration: OAuthConfiguration) -> JSONValue {
        .object(oauthMembers(configuration) + OpenIDProviderMetadata.members(configuration))
    }

    static func oauthMembers(_ configuration: OAuthConfiguration)
        -> [(key: String, value: JSONValue)]
    {
        let issuer = configuration.issuer
        let confidentialMethods = clientAuthenticationMethods.filter { $0 != "none" }
        return [
            ("issuer", .string(issuer)),
            ("authorization_endpoint", .string(issuer + "/oauth/authorize")),
            ("token_endpoint", .string(issuer + "/oauth/token")),
            ("revocation_endpoint", .string(issuer + "/oauth/revoke")),
            ("introspection_endpoint", .string(issuer + "/oauth/introspect")),
            ("device_authorization_endpoint", .string(issuer + "/oauth/device_authorization")),
            ("scopes_supported", .array(configuration.scopes.entries.map { .string($0.name) })),
            ("response_types_supported", .array([.string("code")])),
            ("response_modes_supported", .array([.string("query")])),
            ("grant_types_supported", .array(grantTypes.map(JSONValue.string))),
            (
                "token_endpoint_auth_methods_supported",
                .array(clientAuthenticationMethods.map(JSONValue.string))
            ),
            (
                "revocation_endpoint_auth_methods_supported",
                .array(clientAuthenticationMethods.map(JSONValue.string))
            ),
            (
                "introspection_endpoint_auth_methods_supported",
                .array(confidentialMethods.map(JSONValue.string))
            ),
            ("code_challenge_methods_supported", .array([.string("S256")])),
            ("authorization_response_iss_parameter_supported", .bool(true)),
        ]
    }
}
