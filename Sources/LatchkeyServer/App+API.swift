import LatchkeyHTTP
import LatchkeyOAuth

/// The protected API: `/api/v1/me` and its alias `/api/v1` (SPEC §1).
extension App {
    static let realm = "latchkey"

    func me(_ request: Request) -> Response {
        if let error = request.parameterError {
            return bearerError(OAuthError(.invalidRequest, error.message), request)
        }

        do throws(ProtectedResource.Failure) {
            let access = try ProtectedResource(context: context).authorize(
                header: request.bearerToken, query: request.query.values("access_token"),
                requiredScope: "profile")
            metrics.recordTokenValidation("valid")
            return .json(
                Profile.json(of: access.user, scopes: access.token.scopes),
                headers: [("Cache-Control", "no-store")])
        } catch {
            return protectedResourceFailure(error, request)
        }
    }

    /// RFC 6750 §3.1: a request without any token gets a bare challenge; a rejected one
    /// gets the error in the challenge and in the body.
    func protectedResourceFailure(
        _ failure: ProtectedResource.Failure, _ request: Request, requiredScope: String = "profile"
    ) -> Response {
        guard case .rejected(let error) = failure else {
            return .json(
                .object([
                    ("error", .string("invalid_request")),
                    ("error_description", .string("The request carries no access token.")),
                ]), status: 401,
                headers: [("WWW-Authenticate", "Bearer realm=\"\(Self.realm)\"")])
        }
        return bearerError(error, request, requiredScope: requiredScope)
    }

    /// RFC 6750 §3: the error in the `WWW-Authenticate` challenge and in the body.
    func bearerError(
        _ error: OAuthError, _ request: Request, requiredScope: String = "profile"
    ) -> Response {
        logServerError(error, request)
        if error.code == .invalidToken { metrics.recordTokenValidation("invalid") }
        var challenge = "Bearer realm=\"\(Self.realm)\", error=\"\(error.code.rawValue)\""
        challenge += ", error_description=\"\(error.description)\""
        if error.code == .insufficientScope { challenge += ", scope=\"\(requiredScope)\"" }
        return .oauthError(error, headers: [("WWW-Authenticate", challenge)])
    }
}
