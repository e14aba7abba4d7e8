import LatchkeyHTTP
import LatchkeyOAuth

/// `POST /oauth/introspect` (RFC 7662).
extension App {
    func introspectOAuthToken(_ request: Request) -> Response {
        do throws(OAuthError) {
            let input = try clientRequest(request)
            let outcome = try Introspection(context: introspectionContext).introspect(input)

            logger.debug(
                "oauth.token.introspected",
                [
                    "request.id": request.id, "oauth.client_id": outcome.client.clientID,
                    "token.active": String(outcome.isActive),
                ])
            return .json(outcome.answer, headers: Response.noStore)
        } catch {
            return clientEndpointError(error, request)
        }
    }

    /// The context with the issuer this server is reached at: SPEC §10 makes the issuer
    /// the public URL, known only once the server has bound its port.
    private var introspectionContext: OAuthContext {
        var context = context
        context.configuration.issuer = configuration.publicURL
        return context
    }
}
