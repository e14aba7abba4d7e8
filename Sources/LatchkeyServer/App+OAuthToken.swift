import LatchkeyHTTP
import LatchkeyOAuth
import LatchkeyStorage

/// `POST /oauth/token` (RFC 6749 §3.2), and what the three endpoints clients call
/// directly (token, revocation, introspection) share: reading the request, answering
/// errors, logging audit events.
extension App {
    func issueOAuthToken(_ request: Request) -> Response {
        let success: TokenEndpoint.Success
        do throws(OAuthError) {
            let input = try clientRequest(request)
            success = try TokenEndpoint(context: context, audit: auditSink(request)).handle(
                input)
        } catch {
            return clientEndpointError(error, request)
        }

        let response = Response.json(success.issued.response.json, headers: Response.noStore)
        guard let stored = success.issued.stored else {
            logIssued(success, request)
            return response
        }
        // The tokens are queued for their commit: the answer waits for it, and becomes an
        // error if the commit fails, since a token the store does not have is worthless.
        var pending = response
        pending.pending = { [self] answer in
            stored.whenFinished { [self] error in
                if let error {
                    answer(clientEndpointError(OAuthContext.oauthError(for: error), request))
                } else {
                    logIssued(success, request)
                    answer(response)
                }
            }
        }
        return pending
    }

    /// The client credentials grant reads the client and queues one write; with a store
    /// that queues writes (``Storage/queuesWrites``) nothing in it waits, and it runs on
    /// the event loop. Every other grant commits before it answers, or hashes a password.
    @Sendable static func tokenRequestWaitsOnNothing(_ app: App, _ request: Request) -> Bool {
        app.context.storage.queuesWrites
            && request.form["grant_type"] == GrantType.clientCredentials.rawValue
    }

    /// Counts and logs a token once it is stored.
    private func logIssued(_ success: TokenEndpoint.Success, _ request: Request) {
        metrics.recordTokenIssued(grantType: success.grantType.rawValue)
        logger.notice(
            "oauth.token.issued",
            [
                "request.id": request.id, "oauth.client_id": success.client.clientID,
                "oauth.grant_type": success.grantType.rawValue,
                "user.id": success.issued.userID.map(String.init) ?? "",
                "token.hash": success.issued.response.accessTokenHashPrefix,
            ])
    }

    /// The OAuth core's view of a client's POST. Parameters the HTTP layer could not
    /// decode (bad escapes, too many) are `invalid_request` here, in JSON.
    func clientRequest(_ request: Request) throws(OAuthError) -> ClientRequest {
        if let error = request.parameterError {
            throw OAuthError(.invalidRequest, error.message)
        }

        let authorization: PresentedAuthorization
        if request.headerValues("authorization").isEmpty {
            authorization = .none
        } else if let basic = request.basicCredentials {
            authorization = .basic(username: basic.username, password: basic.password)
        } else {
            authorization = .unusable
        }
        return ClientRequest(
            form: request.form.pairs, queryNames: request.query.pairs.map(\.name),
            contentType: request.header("content-type"), hasBody: !request.body.isEmpty,
            authorization: authorization, remoteAddress: request.remoteAddress)
    }

    /// RFC 6749 §5.2 in JSON, never cached. Every 401 carries the Basic challenge:
    /// RFC 6749 §5.2 requires it when the client used the `Authorization` header, and
    /// RFC 9110 §15.5.2 requires a challenge on every 401.
    func clientEndpointError(_ error: OAuthError, _ request: Request) -> Response {
        logServerError(error, request)
        logger.debug(
            "oauth.request.refused",
            [
                "request.id": request.id, "http.path": request.path,
                "oauth.error": error.code.rawValue,
            ])
        let headers = error.status == 401 ? [Self.basicChallenge] : []
        return .oauthError(error, headers: headers)
    }

    /// Audit events of the OAuth core as notice lines; never a credential.
    func auditSink(_ request: Request) -> AuditSink {
        let logger = logger
        let requestID = request.id
        let address = request.remoteAddress
        return { event in
            switch event {
            case .refreshTokenReused(let clientID, let hashPrefix):
                logger.notice(
                    "oauth.refresh.reused",
                    [
                        "request.id": requestID, "oauth.client_id": clientID,
                        "token.hash": hashPrefix,
                    ])
            case .tokenRevoked(let clientID, let kind, let hashPrefix):
                logger.notice(
                    "oauth.token.revoked",
                    [
                        "request.id": requestID, "oauth.client_id": clientID,
                        "token.kind": kind.rawValue, "token.hash": hashPrefix,
                    ])
            case .loginFailed(let clientID):
                logger.notice(
                    "auth.login.failed",
                    [
                        "request.id": requestID, "client.address": address,
                        "oauth.client_id": clientID,
                    ])
            }
        }
    }
}
