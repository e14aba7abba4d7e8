import LatchkeyHTTP
import LatchkeyOAuth

/// `POST /oauth/introspect` (RFC 7662).
extension App {
    func introspectOAuthToken(_ request: Request) -> Response {
        do throws(OAuthError) {
            let input = try clientRequest(request)
            let outcome = try Introspection(context: context).introspect(input)

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
}
