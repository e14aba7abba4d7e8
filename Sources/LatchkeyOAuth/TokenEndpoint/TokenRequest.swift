/// The grant types `/oauth/token` knows (RFC 6749 §4). The raw values are the wire
/// names and the names stored in `Client.grantTypes`.
public enum GrantType: String, Sendable, CaseIterable {
    case authorizationCode = "authorization_code"
    case refreshToken = "refresh_token"
    case clientCredentials = "client_credentials"
    case password
    /// RFC 8628 §3.4.
    case deviceCode = "urn:ietf:params:oauth:grant-type:device_code"
}

/// A request to `/oauth/token` whose form rules hold and whose grant type is known.
public struct TokenRequest: Sendable {
    public var grantType: GrantType
    /// The body's parameters, each once, empty ones dropped (RFC 6749 §3.2).
    public var parameters: [String: String]
    public var authorization: PresentedAuthorization
    public var remoteAddress: String

    /// Applies the rules every token request obeys before the client is looked at.
    public init(_ request: ClientRequest) throws(OAuthError) {
        let parameters = try request.parameters()

        guard let name = parameters["grant_type"] else {
            throw OAuthError(.invalidRequest, "The request has no grant_type.")
        }
        // The value is never echoed: it may be anything, of any size.
        guard let grantType = GrantType(rawValue: name) else {
            throw OAuthError(.unsupportedGrantType, "This grant_type is not supported.")
        }

        self.grantType = grantType
        self.parameters = parameters
        self.authorization = request.authorization
        self.remoteAddress = request.remoteAddress
    }

    public subscript(_ name: String) -> String? {
        parameters[name]
    }
}
