import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The authorization endpoint, in both dialects: validating a request, remembering
/// consent, and answering Allow or Deny (RFC 6749 §4.1.1, §4.1.2).
public struct AuthorizationEndpoint: Sendable {
    let context: OAuthContext
    let dialect: AuthorizationRequest.Dialect

    public init(context: OAuthContext, dialect: AuthorizationRequest.Dialect) {
        self.context = context
        self.dialect = dialect
    }

    /// Validates a request. `lookup` returns every value of a parameter, so that repeated
    /// ones can be refused.
    public func validate(
        _ lookup: (String) -> [String]
    ) throws(AuthorizationRequest.Failure) -> AuthorizationRequest {
        let (client, redirectURI, requestedRedirectURI) = try trustedClient(lookup)

        // From here the redirect URI is trusted, and errors are sent back to it.
        let stateValues = lookup("state")
        let state = stateValues.count == 1 ? stateValues[0] : nil
        func refuse(_ error: OAuthError) -> AuthorizationRequest.Failure {
            .redirect(error, location: errorLocation(error, redirectURI: redirectURI, state: state))
        }

        var request = AuthorizationRequest(
            dialect: dialect, client: client, redirectURI: redirectURI,
            requestedRedirectURI: requestedRedirectURI, scopes: [], state: state)
        do {
            try check(lookup, into: &request)
        } catch {
            throw refuse(error)
        }
        return request
    }

    /// Finds the client and the redirect URI; failures here are never redirected.
    private func trustedClient(_ lookup: (String) -> [String])
        throws(AuthorizationRequest.Failure) -> (Client, String, String?)
    {
        let clientIDs = lookup("client_id")
        let redirectURIs = lookup("redirect_uri")
        guard clientIDs.count <= 1, redirectURIs.count <= 1 else {
            throw .untrusted(
                OAuthError(.invalidRequest, "The client_id or redirect_uri is repeated."))
        }
        guard let clientID = clientIDs.first, !clientID.isEmpty else {
            throw .untrusted(OAuthError(.invalidRequest, "The request names no client_id."))
        }

        let found: Client?
        do {
            found = try context.store { try context.storage.client(clientID: clientID) }
        } catch {
            throw .untrusted(error)
        }
        guard let client = found else {
            throw .untrusted(OAuthError(.invalidClient, "No application has this client_id."))
        }

        // RFC 6749 §3.1.2.3: "If multiple redirection URIs have been registered, [...]
        // the client MUST include a redirection URI with the authorization request."
        let requested = redirectURIs.first
        if dialect == .standard && requested == nil && client.callbackURLs.count > 1 {
            throw .untrusted(
                OAuthError(
                    .invalidRequest,
                    "This client has several redirect URIs; the request must name one."))
        }
        guard
            let redirectURI = RedirectURI.resolve(
                requested: requested, registered: client.callbackURLs)
        else {
            throw .untrusted(
                OAuthError(.invalidRequest, "The redirect_uri is not registered for this client."))
        }
        return (client, redirectURI, requested)
    }

    /// Everything checked once errors can be redirected.
    private func check(_ lookup: (String) -> [String], into request: inout AuthorizationRequest)
        throws(OAuthError)
    {
        // RFC 6749 §3.1: "Request and response parameters MUST NOT be included more
        // than once."
        let names = [
            "response_type", "scope", "state", "code_challenge", "code_challenge_method", "nonce",
            "prompt", "max_age",
        ]
        for name in names where lookup(name).count > 1 {
            throw OAuthError(.invalidRequest, "The parameter \(name) is repeated.")
        }
        let client = request.client

        if dialect == .standard {
            guard let responseType = lookup("response_type").first, !responseType.isEmpty else {
                throw OAuthError(.invalidRequest, "The request has no response_type.")
            }
            guard responseType == "code" else {
                throw OAuthError(
                    .unsupportedResponseType, "Only the authorization code flow is supported.")
            }
        }
        guard client.allows(grantType: "authorization_code") else {
            throw OAuthError(
                .unauthorizedClient, "This client may not use the authorization code flow.")
        }

        request.scopes = try scopes(lookup("scope").first, for: client)
        try checkPKCE(lookup, into: &request)
        try OpenIDParameters.check(lookup, into: &request)
    }

    /// RFC 6749 §3.3: the requested scopes, or the client's defaults when none are named.
    private func scopes(_ parameter: String?, for client: Client) throws(OAuthError) -> [String] {
        let catalog = context.configuration.scopes
        let scopes = try parameter.map(catalog.parse) ?? client.defaultScopes
        if let refused = scopes.first(where: {
            !client.allowedScopes.isEmpty && !client.allowedScopes.contains($0)
        }) {
            throw OAuthError(.invalidScope, "This client may not ask for \"\(refused)\".")
        }
        guard !scopes.isEmpty else {
            throw OAuthError(.invalidScope, "The request asks for no scope.")
        }
        return scopes
    }

    /// RFC 7636 §4.3. Only S256 is accepted: `plain` protects nothing against an attacker
    /// who can read the authorization request.
    private func checkPKCE(_ lookup: (String) -> [String], into request: inout AuthorizationRequest)
        throws(OAuthError)
    {
        let challenge = lookup("code_challenge").first
        let method = lookup("code_challenge_method").first
        guard let challenge else {
            if method != nil {
                throw OAuthError(.invalidRequest, "code_challenge_method without code_challenge.")
            }
            // RFC 9700 §2.1.1: public clients must use PKCE.
            if request.client.isPublic && dialect == .standard {
                throw OAuthError(.invalidRequest, "A public client must send a code_challenge.")
            }
            return
        }
        guard method == "S256" else {
            throw OAuthError(
                .invalidRequest, "code_challenge_method must be S256; plain is not accepted.")
        }
        // An S256 challenge is the base64url of a SHA-256 digest: 43 characters.
        guard challenge.utf8.count == 43, Base64URLAlphabet.contains(challenge) else {
            throw OAuthError(.invalidRequest, "The code_challenge is not an S256 challenge.")
        }
        request.codeChallenge = challenge
        request.codeChallengeMethod = method
    }

    /// The requested scopes the user has not granted this client yet: what the consent
    /// page asks for. Empty when everything was granted before, and the page is skipped.
    public func scopesToConfirm(_ request: AuthorizationRequest, userID: Int64)
        throws(OAuthError) -> [String]
    {
        let grant = try context.store {
            try context.storage.grant(userID: userID, clientRowID: request.client.id)
        }
        let granted = grant?.scopes ?? []
        return request.scopes.filter { !granted.contains($0) }
    }

    /// Whether the user already granted at least these scopes to this client, in which
    /// case the consent page is skipped.
    public func isAlreadyGranted(_ request: AuthorizationRequest, userID: Int64)
        throws(OAuthError) -> Bool
    {
        let grant = try context.store {
            try context.storage.grant(userID: userID, clientRowID: request.client.id)
        }
        return grant?.scopes.covers(request.scopes) ?? false
    }

    /// The user said yes: record the grant and send a fresh code to the redirect URI.
    /// `authTime`, when the user signed in, goes with the code to the ID token.
    public func allow(_ request: AuthorizationRequest, userID: Int64, authTime: Date? = nil)
        throws(OAuthError) -> String
    {
        let now = context.clock.now()
        let code = CredentialKind.authorizationCode.generate()
        let record = AuthorizationCode(
            codeHash: storageHash(of: code), clientRowID: request.client.id, userID: userID,
            redirectURI: request.requestedRedirectURI, scopes: request.scopes,
            codeChallenge: request.codeChallenge, codeChallengeMethod: request.codeChallengeMethod,
            nonce: request.nonce, createdAt: now,
            expiresAt: now.addingTimeInterval(context.configuration.codeLifetime), usedAt: nil,
            authTime: authTime)
        try context.store { try context.storage.storeCode(record, recordingGrantAt: now) }

        var parameters = [("code", code)]
        if let state = request.state { parameters.append(("state", state)) }
        if dialect == .standard { parameters.append(("iss", context.configuration.issuer)) }
        return RedirectURI.appending(parameters, to: request.redirectURI)
    }

    /// The user said no. The seed sends them to the client's Main Application URL with no
    /// code; the standard endpoint answers `access_denied` (RFC 6749 §4.1.2.1).
    public func deny(_ request: AuthorizationRequest) -> String {
        switch dialect {
        case .legacy:
            return request.client.mainURL
        case .standard:
            let error = OAuthError(.accessDenied, "The user denied the request.")
            return errorLocation(error, redirectURI: request.redirectURI, state: request.state)
        }
    }

    /// RFC 6749 §4.1.2.1, with `iss` from RFC 9207 §2 on the standard endpoint.
    public func errorLocation(_ error: OAuthError, for request: AuthorizationRequest) -> String {
        errorLocation(error, redirectURI: request.redirectURI, state: request.state)
    }

    func errorLocation(_ error: OAuthError, redirectURI: String, state: String?) -> String {
        var parameters = [("error", error.code.rawValue), ("error_description", error.description)]
        if let state { parameters.append(("state", state)) }
        if dialect == .standard { parameters.append(("iss", context.configuration.issuer)) }
        return RedirectURI.appending(parameters, to: redirectURI)
    }
}

/// RFC 4648 §5: the characters of base64url without padding.
enum Base64URLAlphabet {
    static func contains(_ text: String) -> Bool {
        text.allUTF8Bytes(satisfy: contains)
    }

    static func contains(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }
}
