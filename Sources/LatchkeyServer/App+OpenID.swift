import LatchkeyHTTP
import LatchkeyOAuth

/// OpenID Connect: the UserInfo endpoint, the JWKS and the discovery document.
extension App {
    /// `GET, POST /oauth/userinfo` (OIDC Core §5.3) with an access token holding
    /// `openid`, in the `Authorization` header or, for POST, the form body (RFC 6750
    /// §2.1, §2.2). Never in the query string: a URL ends up in logs and histories.
    func userInfo(_ request: Request) -> Response {
        if let error = request.parameterError {
            return bearerError(OAuthError(.invalidRequest, error.message), request)
        }
        guard request.query.values("access_token").isEmpty else {
            return bearerError(
                OAuthError(
                    .invalidRequest,
                    "Send the access token in the Authorization header, not the query string."),
                request)
        }
        let bodyTokens = request.method == "POST" ? request.form.values("access_token") : []

        do throws(ProtectedResource.Failure) {
            let access = try ProtectedResource(context: context).authorize(
                header: request.bearerToken, query: bodyTokens, requiredScope: "openid")
            metrics.recordTokenValidation("valid")
            let claims = try userInfoClaims(access)
            return .json(claims, headers: [("Cache-Control", "no-store")])
        } catch {
            return protectedResourceFailure(error, request, requiredScope: "openid")
        }
    }

    private func userInfoClaims(_ access: ProtectedResource.Access)
        throws(ProtectedResource.Failure) -> JSONValue
    {
        do {
            return try UserInfo.json(of: access.user, scopes: access.token.scopes, context: context)
        } catch {
            throw .rejected(error)
        }
    }

    /// `GET /oauth/jwks` (RFC 7517 §5). Cacheable for a few minutes only: after a
    /// rotation the new key signs at once, and a relying party that meets its unknown
    /// `kid` fetches the set again (OIDC Core §10.1.1).
    func jwks(_ request: Request) -> Response {
        do {
            return .json(
                try JWKS(context: context).json(),
                headers: [("Cache-Control", "public, max-age=300")])
        } catch {
            logServerError(error, request)
            return .oauthError(error)
        }
    }

    /// `GET /.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4): the
    /// same members as the RFC 8414 document, which carries the OpenID ones too.
    func openIDConfiguration(_ request: Request) -> Response {
        authorizationServerMetadata(request)
    }
}
