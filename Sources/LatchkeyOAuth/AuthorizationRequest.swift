import LatchkeyStorage

/// A validated request to `/authorize`: the client is known and the redirect URI is
/// one of its own, so from here on errors may be sent back to the client.
public struct AuthorizationRequest: Sendable, Equatable {
    public var client: Client
    /// Where the answer goes: the requested URI, or the first registered callback.
    public var redirectURI: String
    /// The `redirect_uri` parameter as sent, which the token request must repeat
    /// (RFC 6749 §4.1.3); nil when none was sent.
    public var requestedRedirectURI: String?
    public var scopes: [String]
    public var state: String?

    /// What went wrong with an authorization request, and so how to answer it.
    public enum Failure: Error, Equatable, Sendable {
        /// Before the client and redirect URI are trusted: an HTML page, never a redirect
        /// (RFC 6749 §4.1.2.1), so that Latchkey is never an open redirector.
        case untrusted(OAuthError)
        /// After: sent to the redirect URI with `error` and `state`.
        case redirect(OAuthError, redirectURI: String, state: String?)
    }

    /// Parameters the request is carried by, in a form that can go into the consent
    /// form's hidden fields and the login page's return address.
    public var parameters: [(name: String, value: String)] {
        var pairs = [(name: "client_id", value: client.clientID)]
        if let requestedRedirectURI { pairs.append(("redirect_uri", requestedRedirectURI)) }
        if !scopes.isEmpty { pairs.append(("scope", scopes.scopeString)) }
        if let state { pairs.append(("state", state)) }
        return pairs
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.client == rhs.client && lhs.redirectURI == rhs.redirectURI
            && lhs.requestedRedirectURI == rhs.requestedRedirectURI && lhs.scopes == rhs.scopes
            && lhs.state == rhs.state
    }
}

/// The legacy authorization endpoint of the seed document (`GET /authorize`).
public struct LegacyAuthorization: Sendable {
    let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    /// Validates `client_id`, `redirect_uri`, `scope` and `state`. `lookup` returns every
    /// value of a parameter, so that repeated ones can be refused.
    public func validate(
        _ lookup: (String) -> [String]
    ) throws(AuthorizationRequest.Failure) -> AuthorizationRequest {
        let clientID = try Self.single("client_id", lookup)
        guard let clientID, !clientID.isEmpty else {
            throw .untrusted(OAuthError(.invalidRequest, "The request names no client_id."))
        }
        let requestedRedirectURI = try Self.single("redirect_uri", lookup)

        let found: Client?
        do {
            found = try context.storage.client(clientID: clientID)
        } catch {
            throw .untrusted(.serverError(detail: "storage: \(error)"))
        }
        guard let client = found else {
            throw .untrusted(OAuthError(.invalidClient, "No application has this client_id."))
        }
        guard
            let redirectURI = RedirectURI.resolve(
                requested: requestedRedirectURI, registered: client.callbackURLs)
        else {
            throw .untrusted(
                OAuthError(.invalidRequest, "The redirect_uri is not registered for this client."))
        }

        // From here the redirect URI is trusted; errors go back to it.
        let state: String?
        let scopeParameter: String?
        do {
            state = try Self.single("state", lookup)
            scopeParameter = try Self.single("scope", lookup)
        } catch .untrusted(let error) {
            throw .redirect(error, redirectURI: redirectURI, state: lookup("state").first)
        } catch {
            throw error
        }
        let scopes: [String]
        do {
            scopes =
                try scopeParameter.map(context.configuration.scopes.parse)
                ?? client.defaultScopes
        } catch {
            throw .redirect(error, redirectURI: redirectURI, state: state)
        }
        guard !scopes.isEmpty else {
            throw .redirect(
                OAuthError(.invalidScope, "The request asks for no scope."),
                redirectURI: redirectURI, state: state)
        }

        return AuthorizationRequest(
            client: client, redirectURI: redirectURI, requestedRedirectURI: requestedRedirectURI,
            scopes: scopes, state: state)
    }

    /// Whether the user already granted at least these scopes to this client, in which
    /// case the consent page is skipped.
    public func isAlreadyGranted(_ request: AuthorizationRequest, userID: Int64) throws(OAuthError)
        -> Bool
    {
        let grant = try context.store {
            try context.storage.grant(userID: userID, clientRowID: request.client.id)
        }
        return grant?.scopes.covers(request.scopes) ?? false
    }

    /// The user said yes: record the grant and send a fresh code to the redirect URI.
    public func allow(_ request: AuthorizationRequest, userID: Int64) throws(OAuthError) -> String {
        let now = context.clock.now()
        let code = CredentialKind.authorizationCode.generate()
        let record = AuthorizationCode(
            codeHash: storageHash(of: code), clientRowID: request.client.id, userID: userID,
            redirectURI: request.requestedRedirectURI, scopes: request.scopes,
            codeChallenge: nil, codeChallengeMethod: nil, nonce: nil, createdAt: now,
            expiresAt: now.addingTimeInterval(context.configuration.codeLifetime), usedAt: nil)
        try context.store {
            try context.storage.recordGrant(
                userID: userID, clientRowID: request.client.id, scopes: request.scopes, at: now)
            try context.storage.storeCode(record)
        }

        var parameters = [("code", code)]
        if let state = request.state { parameters.append(("state", state)) }
        return RedirectURI.appending(parameters, to: request.redirectURI)
    }

    /// The user said no. The seed sends them to the client's Main Application URL, with
    /// no code.
    public func deny(_ request: AuthorizationRequest) -> String {
        request.client.mainURL
    }

    /// Where an error after validation goes (RFC 6749 §4.1.2.1).
    public static func errorRedirect(_ error: OAuthError, redirectURI: String, state: String?)
        -> String
    {
        var parameters = [("error", error.code.rawValue), ("error_description", error.description)]
        if let state { parameters.append(("state", state)) }
        return RedirectURI.appending(parameters, to: redirectURI)
    }

    /// RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once."
    static func single(_ name: String, _ lookup: (String) -> [String])
        throws(AuthorizationRequest.Failure) -> String?
    {
        let values = lookup(name)
        guard values.count <= 1 else {
            throw .untrusted(OAuthError(.invalidRequest, "The parameter \(name) is repeated."))
        }
        return values.first
    }
}
