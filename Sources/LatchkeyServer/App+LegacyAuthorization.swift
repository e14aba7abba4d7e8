import LatchkeyHTTP
import LatchkeyOAuth
import LatchkeyWeb

/// `GET /authorize` and its consent form, `POST /authorize/decision` (SPEC §1).
extension App {
    func showAuthorization(_ request: Request) -> Response {
        if let failure = parameterFailurePage(request) { return failure }

        let flow = LegacyAuthorization(context: context)
        let authorization: AuthorizationRequest
        do {
            authorization = try flow.validate(request.query.values)
        } catch {
            return authorizationFailure(error, request)
        }

        do {
            let browser = try browser(request)
            guard let user = browser.user else {
                return redirectToLogin(returnTo: Self.returnAddress(of: request))
            }

            // A user who already granted these scopes is not asked again.
            if try flow.isAlreadyGranted(authorization, userID: user.id) {
                let location = try flow.allow(authorization, userID: user.id)
                logCodeIssued(authorization, userID: user.id, request)
                return .redirect(to: location)
            }

            let page = Pages.consent(
                browser.context, clientName: authorization.client.name,
                clientURL: authorization.client.mainURL,
                scopes: authorization.scopes.map {
                    ScopeDescription(
                        name: $0,
                        description: context.configuration.scopes.description(of: $0) ?? $0)
                },
                action: "/authorize/decision", hiddenFields: authorization.parameters)
            return .html(page, headers: browser.cookies)
        } catch {
            return serverErrorPage(error, request)
        }
    }

    func decide(_ request: Request) -> Response {
        if let failure = parameterFailurePage(request) { return failure }

        let flow = LegacyAuthorization(context: context)
        let authorization: AuthorizationRequest
        do {
            authorization = try flow.validate(request.form.values)
        } catch {
            return authorizationFailure(error, request)
        }

        do {
            let browser = try browser(request)
            guard let user = browser.user else {
                let query = authorization.parameters.map {
                    RedirectURI.formEncode($0.name) + "=" + RedirectURI.formEncode($0.value)
                }
                return redirectToLogin(returnTo: "/authorize?" + query.joined(separator: "&"))
            }
            guard csrfIsValid(request, browser) else { return formExpiredPage(request) }

            switch request.form.values("decision") {
            case ["allow"]:
                let location = try flow.allow(authorization, userID: user.id)
                logCodeIssued(authorization, userID: user.id, request)
                return .redirect(to: location)
            case ["deny"]:
                logger.notice(
                    "oauth.consent.denied",
                    ["request.id": request.id, "oauth.client_id": authorization.client.clientID])
                return .redirect(to: flow.deny(authorization))
            default:
                return errorPage(
                    request, status: 400, title: Strings.badRequestTitle,
                    message: Strings.badDecision)
            }
        } catch {
            return serverErrorPage(error, request)
        }
    }

    /// Untrusted failures render a page (never a redirect); trusted ones go back to the
    /// client's redirect URI.
    private func authorizationFailure(_ failure: AuthorizationRequest.Failure, _ request: Request)
        -> Response
    {
        switch failure {
        case .untrusted(let error):
            if error.code == .serverError { return serverErrorPage(error, request) }
            logger.debug(
                "oauth.authorize.refused",
                ["request.id": request.id, "oauth.error": error.code.rawValue])
            return errorPage(
                request, status: 400, title: Strings.authorizationErrorTitle,
                message: error.description)
        case .redirect(let error, let redirectURI, let state):
            return .redirect(
                to: LegacyAuthorization.errorRedirect(error, redirectURI: redirectURI, state: state)
            )
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
