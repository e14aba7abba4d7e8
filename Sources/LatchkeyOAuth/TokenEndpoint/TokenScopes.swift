import LatchkeyStorage

/// The `scope` parameter of token requests (RFC 6749 §3.3) against the operator's
/// catalog and the client's limits.
struct TokenScopes: Sendable {
    let catalog: ScopeCatalog

    /// Longer than any honest scope list; refused before it is split or echoed.
    static let maximumParameterLength = 4096

    /// Scopes for a grant that starts a new authorization (client credentials,
    /// password): the requested ones, or the client's defaults when none are named.
    /// `Client.allowedScopes` empty means every scope the server offers.
    func requested(_ parameter: String?, by client: Client) throws(OAuthError) -> [String] {
        let scopes: [String]
        if let parameter {
            scopes = try parse(parameter)
            if let refused = scopes.first(where: { !Self.allows(client, $0) }) {
                throw OAuthError(
                    .invalidScope, "This client may not ask for the scope \"\(refused)\".")
            }
        } else {
            // A default the client is no longer allowed is left out rather than refused:
            // the client did not ask for it.
            scopes = client.defaultScopes.filter { Self.allows(client, $0) }
        }
        guard !scopes.isEmpty else {
            throw OAuthError(.invalidScope, "The request asks for no scope.")
        }
        return scopes
    }

    /// RFC 6749 §6: a refresh may ask for fewer scopes, never for one "not originally
    /// granted by the resource owner"; without `scope` it gets the original ones.
    func narrowed(_ parameter: String?, granted: [String]) throws(OAuthError) -> [String] {
        guard let parameter else { return granted }
        let scopes = try parse(parameter)
        if let widened = scopes.first(where: { !granted.contains($0) }) {
            throw OAuthError(
                .invalidScope, "The scope \"\(widened)\" was not granted to this token.")
        }
        guard !scopes.isEmpty else {
            throw OAuthError(.invalidScope, "The request asks for no scope.")
        }
        return scopes
    }

    /// Whether `client` may be granted `scope`; no limit means every offered scope.
    static func allows(_ client: Client, _ scope: String) -> Bool {
        client.allowedScopes.isEmpty || client.allowedScopes.contains(scope)
    }

    private func parse(_ parameter: String) throws(OAuthError) -> [String] {
        guard parameter.utf8.count <= Self.maximumParameterLength else {
            throw OAuthError(.invalidScope, "The scope parameter is too long.")
        }
        return try catalog.parse(parameter)
    }
}
