import LatchkeyStorage

/// `POST /oauth/token` (RFC 6749 §3.2): checks the request's form, authenticates the
/// client, checks that the client may use the grant, and hands over to that grant.
public struct TokenEndpoint: Sendable {
    /// A token response and what the audit log needs to know about it.
    public struct Success: Sendable {
        public var grantType: GrantType
        public var client: Client
        public var issued: IssuedGrant
    }

    let context: OAuthContext
    let audit: AuditSink

    public init(context: OAuthContext, audit: @escaping AuditSink = { _ in }) {
        self.context = context
        self.audit = audit
    }

    public func handle(_ input: ClientRequest) throws(OAuthError) -> Success {
        let request = try TokenRequest(input)

        // Before any grant runs, so that a request refused here spends no code.
        let authenticated = try ClientAuthenticator(context: context).authenticate(
            request.parameters, authorization: request.authorization)

        // SPEC §10: which grants a client may use is set per client.
        guard authenticated.client.allows(grantType: request.grantType.rawValue) else {
            throw OAuthError(
                .unauthorizedClient,
                "This client may not use the \(request.grantType.rawValue) grant.")
        }

        let issued = try grant(for: request.grantType).issue(request, to: authenticated)
        return Success(grantType: request.grantType, client: authenticated.client, issued: issued)
    }

    private func grant(for type: GrantType) -> any TokenGrant {
        switch type {
        case .authorizationCode: AuthorizationCodeGrant(context: context)
        case .refreshToken: RefreshTokenGrant(context: context, audit: audit)
        case .clientCredentials: ClientCredentialsGrant(context: context)
        case .password: PasswordGrant(context: context, audit: audit)
        case .deviceCode: DeviceCodeGrant(context: context)
        }
    }
}
