import LatchkeyHTTP
import LatchkeyOAuth

/// `POST /oauth/revoke` (RFC 7009).
extension App {
    func revokeOAuthToken(_ request: Request) -> Response {
        do throws(OAuthError) {
            let input = try clientRequest(request)
            _ = try Revocation(context: context, audit: auditSink(request)).revoke(input)

            // RFC 7009 §2.2: the status says it all; "the content of the response body is
            // ignored by the client".
            return Response(status: 200, headers: Response.noStore + Response.securityHeaders)
        } catch {
            return clientEndpointError(error, request)
        }
    }
}
