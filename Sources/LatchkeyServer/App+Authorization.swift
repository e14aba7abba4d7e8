import LatchkeyHTTP
import LatchkeyOAuth
import LatchkeyWeb

/// The authorization endpoints and their consent form: the seed's `GET /authorize` with
/// `POST /authorize/decision` (SPEC §1), and the standard `GET, POST /oauth/authorize`
/// with `POST /oauth/authorize/decision` (RFC 6749 §4.1).
extension App {
    func showAuthorization(_ request: Request, dialect: AuthorizationRequest.Dialect) -> Response {
        if let failure = parameterFailurePage(request) { return failure }

        // RFC 6749 §3.1: the endpoint "MAY support the POST method as well", with the
        // parameters in the body.
        let parameters = request.method == "POST" ? request.form : request.query
        let endpoint = AuthorizationEndpoint(context: context, dialect: dialect)
        let authorization: AuthorizationRequest
        do {
            authorization = try endpoint.validate(parameters.values)
        } catch {
            return authorizationFailure(error, request)
        }

        do {
            let browser = try browser(request)
            let step: AuthorizationStep
            do {
                step = try endpoint.nextStep(
                    authorization, userID: browser.user?.id,
                    signedInAt: browser.session?.createdAt)
            } catch let error where !error.isServerSide {
                // prompt=none: the answer goes back to the client, never a page.
                logger.debug(
                    "oauth.authorize.refused",
                    ["request.id": request.id, "oauth.error": error.code.rawValue])
                return .redirect(to: endpoint.errorLocation(error, for: authorization))
            }

            switch step {
            case .signIn(let forced, let returnTo):
                // A GET comes back exactly as it was sent, unless the sign-in itself
                // answers part of it (prompt=login, max_age); a POST as the equivalent GET.
                let address =
                    request.method == "GET" && returnTo == authorization && !forced
                    ? Self.returnAddress(of: request) : Self.authorizationAddress(returnTo)
                return redirectToLogin(returnTo: address, forced: forced)
            case .allow:
                let location = try endpoint.allow(
                    authorization, userID: browser.user!.id, authTime: browser.session?.createdAt)
                logCodeIssued(authorization, userID: browser.user!.id, request)
                return .redirect(to: location)
            case .consent(let scopes):
                let page = Pages.consent(
                    browser.context, clientName: authorization.client.name,
                    clientURL: authorization.client.mainURL,
                    scopes: scopes.map {
                        ScopeDescription(
                            name: $0,
                            description: context.configuration.scopes.description(of: $0) ?? $0)
                    },
                    action: Self.decisionPath(dialect), hiddenFields: authorization.parameters)
                return .html(page, headers: browser.cookies)
            }
        } catch {
            return serverErrorPage(error, request)
        }
    }

    func decide(_ request: Request, dialect: AuthorizationRequest.Dialect) -> Response {
        if let failure = parameterFailurePage(request) { return failure }

        let endpoint = AuthorizationEndpoint(context: context, dialect: dialect)
        let authorization: AuthorizationRequest
        do {
            authorization = try endpoint.validate(request.form.values)
        } catch {
            return authorizationFailure(error, request)
        }

        do {
            let browser = try browser(request)
            guard let user = browser.user else {
                return redirectToLogin(returnTo: Self.authorizationAddress(authorization))
            }
            guard csrfIsValid(request, browser) else { return formExpiredPage(request) }

            switch request.form.values("decision") {
            case ["allow"]:
                let location = try endpoint.allow(
                    authorization, userID: user.id, authTime: browser.session?.createdAt)
                logCodeIssued(authorization, userID: user.id, request)
                return .redirect(to: location)
            case ["deny"]:
                logger.notice(
                    "oauth.consent.denied",
                    ["request.id": request.id, "oauth.client_id": authorization.client.clientID])
                return .redirect(to: endpoint.deny(authorization))
            default:
                return errorPage(
                    request, status: 400, title: Strings.badRequestTitle,
                    message: Strings.badDecision)
            }
        } catch {
            return serverErrorPage(error, request)
        }
    }

    private static func decisionPath(_ dialect: AuthorizationRequest.Dialect) -> String {
        dialect == .legacy ? "/authorize/decision" : "/oauth/authorize/decision"
    }

    /// The authorization request as a GET address, to come back to after signing in.
    /// Rebuilt from the validated parameters, so a POSTed request comes back too.
    private static func authorizationAddress(_ authorization: AuthorizationRequest) -> String {
        let path = authorization.dialect == .legacy ? "/authorize" : "/oauth/authorize"
        let query = authorization.parameters.map {
            RedirectURI.formEncode($0.name) + "=" + RedirectURI.formEncode($0.value)
        }
        return path + "?" + query.joined(separator: "&")
    }

    /// Untrusted failures render a page (never a redirect); trusted ones go back to the
    /// client's redirect URI.
    private func authorizationFailure(_ failure: AuthorizationRequest.Failure, _ request: Request)
        -> Response
    {
        switch failure {
        case .untrusted(let error):
            if error.isServerSide { return serverErrorPage(error, request) }
            logger.debug(
                "oauth.authorize.refused",
                ["request.id": request.id, "oauth.error": error.code.rawValue])
            return errorPage(
                request, status: 400, title: Strings.authorizationErrorTitle,
                message: error.description)
        case .redirect(let error, let location):
            logger.debug(
                "oauth.authorize.refused",
                ["request.id": request.id, "oauth.error": error.code.rawValue])
            return .redirect(to: location)
        }
    }

    /// Malformed or excessive parameters on a page: a 400 page.
    func parameterFailurePage(_ request: Request) -> Response? {
        guard let error = request.parameterError else { return nil }
        return errorPage(
            request, status: 400, title: Strings.badRequestTitle, message: error.message)
    }

    private func logCodeIssued(
        _ authorization: AuthorizationRequest, userID: Int64, _ request: Request
    ) {
        logger.notice(
            "oauth.code.issued",
            [
                "request.id": request.id, "oauth.client_id": authorization.client.clientID,
                "user.id": String(userID), "oauth.scope": authorization.scopes.scopeString,
            ])
    }
}
