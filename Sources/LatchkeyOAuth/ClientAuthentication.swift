import LatchkeyStorage

/// Authenticates a confidential client by its id and secret (RFC 6749 §2.3.1).
public struct ClientAuthentication: Sendable {
    let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    /// Unknown client, public client and wrong secret all answer the same
    /// `invalid_client`, so the answer does not tell which client ids exist.
    public func authenticate(clientID: String?, secret: String?) throws(OAuthError) -> Client {
        guard let clientID, !clientID.isEmpty, let secret, !secret.isEmpty else {
            throw OAuthError(.invalidClient, "Client authentication failed.")
        }
        let client = try context.store { try context.storage.client(clientID: clientID) }
        guard let client, try context.verifyClientSecret(secret, of: client) else {
            throw OAuthError(
                .invalidClient, "Client authentication failed.",
                detail: client == nil ? "unknown client" : "wrong secret")
        }
        return client
    }
}
