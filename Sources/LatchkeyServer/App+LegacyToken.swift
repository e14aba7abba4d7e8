import LatchkeyHTTP
import LatchkeyOAuth
import LatchkeyStorage
import LatchkeyText

/// The seed's JSON endpoints: the code exchange (`POST /authorize/token`) and the
/// non-web flow (`POST /authorize` with HTTP Basic).
extension App {
    static let basicChallenge = ("WWW-Authenticate", "Basic realm=\"latchkey\", charset=\"UTF-8\"")

    func exchangeCode(_ request: Request) -> Response {
        do throws(OAuthError) {
            let parameters = try legacyParameters(request)
            if let grantType = parameters["grant_type"], grantType != "authorization_code" {
                throw OAuthError(
                    .unsupportedGrantType, "This endpoint exchanges authorization codes only.")
            }

            let client = try authenticateLegacyClient(request, parameters)
            let (tokens, userID) = try LegacyCodeExchange(context: context).exchange(
                client: client, code: parameters["code"], redirectURI: parameters["redirect_uri"])

            logTokenIssued(
                tokens, client: client, userID: userID, grantType: "authorization_code", request)
            return .json(tokens.json, headers: Response.noStore)
        } catch {
            return legacyError(error, request)
        }
    }

    func authorizeNonWeb(_ request: Request) -> Response {
        do throws(OAuthError) {
            let parameters = try legacyParameters(request)
            guard let clientID = parameters["client_id"], let secret = parameters["client_secret"]
            else {
                throw OAuthError(
                    .invalidClient, "Send client_id and client_secret with the request.")
            }

            let client = try ClientAuthentication(context: context).authenticate(
                clientID: clientID, secret: secret)
            let credentials = request.basicCredentials
            let (tokens, user) = try NonWebFlow(context: context).authorize(
                client: client, login: credentials?.username, password: credentials?.password,
                remoteAddress: request.remoteAddress)

            logTokenIssued(tokens, client: client, userID: user.id, grantType: "password", request)
            return .json(tokens.json, headers: Response.noStore)
        } catch {
            if error.code == .invalidGrant || error.status == 429
                || (error.code == .invalidRequest && error.status == 401)
            {
                noteLoginFailure(error, request)
            }
            return legacyError(error, request)
        }
    }

    /// Query and body parameters together: the seed sends them in the query string,
    /// form-posting clients in the body. A name given twice, in either or both, is
    /// refused (RFC 6749 §3.1).
    private func legacyParameters(_ request: Request) throws(OAuthError) -> Parameters {
        if let error = request.parameterError {
            throw OAuthError(.invalidRequest, error.message)
        }
        let parameters = Parameters(request.query.pairs + request.form.pairs)
        if let repeated = parameters.repeatedNames.first {
            throw OAuthError(.invalidRequest, "The parameter \(repeated) is repeated.")
        }
        return parameters
    }

    /// The client's credentials come as `client_id` and `client_secret` parameters, as
    /// the seed shows, or as HTTP Basic (RFC 6749 §2.3.1); both at once is refused.
    private func authenticateLegacyClient(_ request: Request, _ parameters: Parameters)
        throws(OAuthError) -> Client
    {
        var clientID = parameters["client_id"]
        var secret = parameters["client_secret"]
        if let basic = request.basicCredentials {
            guard secret == nil else {
                throw OAuthError(
                    .invalidRequest, "Authenticate the client one way, not two.")
            }
            guard let id = PercentEncoding.decoding(basic.username),
                let password = PercentEncoding.decoding(basic.password),
                clientID == nil || clientID == id
            else {
                throw OAuthError(.invalidClient, "Client authentication failed.")
            }
            clientID = id
            secret = password
        }
        return try ClientAuthentication(context: context).authenticate(
            clientID: clientID, secret: secret)
    }

    /// RFC 6749 §5.2: a failed client authentication is 401 with a challenge; so is the
    /// non-web flow's failed user authentication, which uses HTTP Basic.
    func legacyError(_ error: OAuthError, _ request: Request) -> Response {
        logServerError(error, request)
        logger.debug(
            "oauth.request.refused",
            ["request.id": request.id, "oauth.error": error.code.rawValue])
        let headers = error.status == 401 ? [Self.basicChallenge] : []
        return .oauthError(error, headers: headers)
    }

    /// A wrong password, or an attempt refused by the lockout: an audit line and a count.
    func noteLoginFailure(_ error: OAuthError, _ request: Request) {
        let lockedOut = error.status == 429
        metrics.recordLoginFailure(lockedOut: lockedOut)
        let metadata = ["request.id": request.id, "client.address": request.remoteAddress]
        if lockedOut {
            logger.notice("auth.login.locked_out", metadata)
        } else {
            logger.notice("auth.login.failed", metadata)
        }
    }

    func logTokenIssued(
        _ tokens: IssuedTokens, client: Client, userID: Int64?, grantType: String,
        _ request: Request
    ) {
        metrics.recordTokenIssued(grantType: grantType)
        logger.notice(
            "oauth.token.issued",
            [
                "request.id": request.id, "oauth.client_id": client.clientID,
                "oauth.grant_type": grantType, "user.id": userID.map(String.init) ?? "",
                "token.hash": tokens.accessTokenHashPrefix,
            ])
    }
}
