import LatchkeyHTTP
import LatchkeyOAuth
import LatchkeyStorage
import LatchkeyWeb

/// The device flow (RFC 8628): `POST /oauth/device_authorization` for the device, and
/// `GET, POST /device`, where its user types the code and allows or denies.
extension App {
    func authorizeDevice(_ request: Request) -> Response {
        do throws(OAuthError) {
            let input = try clientRequest(request)
            let success = try DeviceAuthorizationEndpoint(context: context).handle(input)

            logger.notice(
                "oauth.device.code.issued",
                [
                    "request.id": request.id, "oauth.client_id": success.client.clientID,
                    "oauth.scope": success.scopes.scopeString,
                    "device_code.hash": success.deviceCodeHashPrefix,
                ])
            return .json(success.json, headers: Response.noStore)
        } catch {
            return clientEndpointError(error, request)
        }
    }

    /// The code form. `verification_uri_complete` fills the field in, but the user still
    /// presses Continue and then sees the application before allowing anything
    /// (RFC 8628 §5.4).
    func showDevice(_ request: Request) -> Response {
        if let failure = parameterFailurePage(request) { return failure }
        do {
            let browser = try browser(request)
            guard browser.user != nil else {
                return redirectToLogin(returnTo: Self.returnAddress(of: request))
            }
            let page = Pages.device(
                browser.context, userCode: Self.typedCode(request.query.values("user_code")),
                error: nil, notice: nil)
            return .html(page, headers: browser.cookies)
        } catch {
            return serverErrorPage(error, request)
        }
    }

    /// The code form posted without `decision` shows the consent page for the code found;
    /// the consent page posts back here with `decision=allow` or `decision=deny`.
    func submitDevice(_ request: Request) -> Response {
        if let failure = parameterFailurePage(request) { return failure }
        let codes = request.form.values("user_code")
        let typed = Self.typedCode(codes)
        do {
            let browser = try browser(request)
            guard let user = browser.user else {
                let query = typed.isEmpty ? "" : "?user_code=" + RedirectURI.formEncode(typed)
                return redirectToLogin(returnTo: "/device" + query)
            }
            guard csrfIsValid(request, browser) else { return formExpiredPage(request) }
            func page(_ status: Int, error: String? = nil, notice: String? = nil, code: String = "")
                -> Response
            {
                .html(
                    Pages.device(browser.context, userCode: code, error: error, notice: notice),
                    status: status, headers: browser.cookies)
            }
            guard codes.count == 1, !typed.isEmpty else {
                return page(400, error: Strings.Device.missingCode)
            }
            let decision = request.form.values("decision")
            guard decision.isEmpty || decision == ["allow"] || decision == ["deny"] else {
                return errorPage(
                    request, status: 400, title: Strings.badRequestTitle,
                    message: Strings.badDecision)
            }

            let verification = DeviceVerification(context: context)
            let found = try verification.lookUp(
                typed, userID: user.id, remoteAddress: request.remoteAddress)
            let userID = String(user.id)
            switch found {
            case .throttled(let retryAfter):
                logger.notice(
                    "oauth.device.code.throttled",
                    [
                        "request.id": request.id, "user.id": userID,
                        "client.address": request.remoteAddress,
                    ])
                var response = page(429, error: Strings.Device.throttled, code: typed)
                response.headers.append(("Retry-After", String(retryAfter)))
                return response
            case .unknown:
                logger.notice(
                    "oauth.device.code.wrong",
                    [
                        "request.id": request.id, "user.id": userID,
                        "client.address": request.remoteAddress,
                    ])
                return page(400, error: Strings.Device.unknownCode, code: typed)
            case .expired:
                return page(400, error: Strings.Device.expiredCode)
            case .used:
                return page(400, error: Strings.Device.usedCode)
            case .pending(let authorization, let client, let userCode):
                guard let choice = decision.first else {
                    return deviceConsent(browser, authorization, client: client, userCode: userCode)
                }
                let approved = choice == "allow"
                guard try verification.decide(authorization, approved: approved, userID: user.id)
                else {
                    let expired = context.clock.now() >= authorization.expiresAt
                    return page(
                        400, error: expired ? Strings.Device.expiredCode : Strings.Device.usedCode)
                }
                logger.notice(
                    approved ? "oauth.device.approved" : "oauth.device.denied",
                    [
                        "request.id": request.id, "oauth.client_id": client.clientID,
                        "user.id": userID, "oauth.scope": authorization.scopes.scopeString,
                    ])
                return page(200, notice: approved ? Strings.Device.allowed : Strings.Device.denied)
            }
        } catch {
            return serverErrorPage(error, request)
        }
    }

    /// The consent page, asking for every scope: unlike the browser flows, a device
    /// authorization is never granted silently, because the user must confirm that the
    /// device in front of them is the one asking (RFC 8628 §5.4).
    private func deviceConsent(
        _ browser: Browser, _ authorization: DeviceAuthorization, client: Client,
        userCode: String
    ) -> Response {
        let page = Pages.consent(
            browser.context, clientName: client.name, clientURL: client.mainURL,
            scopes: authorization.scopes.map {
                ScopeDescription(
                    name: $0, description: context.configuration.scopes.description(of: $0) ?? $0)
            },
            action: "/device", hiddenFields: [("user_code", userCode)])
        return .html(page, headers: browser.cookies)
    }

    /// What the user typed, as shown back in the field: one value, cut to a length no
    /// code reaches, so that a hostile value is neither echoed whole nor looked up.
    private static func typedCode(_ values: [String]) -> String {
        guard values.count == 1 else { return "" }
        return String(values[0].prefix(64))
    }
}
