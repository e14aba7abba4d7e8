import LatchkeyHTTP
import LatchkeyOAuth
import LatchkeyStorage
import LatchkeyWeb

/// `/login`, `/logout`, `/signup` and the home page.
extension App {
    func home(_ request: Request) -> Response {
        do {
            let browser = try browser(request)
            return .html(Pages.home(browser.context), headers: browser.cookies)
        } catch {
            return serverErrorPage(error, request)
        }
    }

    func showLogin(_ request: Request) -> Response {
        do {
            let browser = try browser(request)
            let returnTo = Self.localPath(request.query["return_to"])
            // A signed-in user skips the form unless the client asked for a fresh sign-in.
            let forced = request.query.values("prompt") == ["login"]
            if browser.user != nil && !forced {
                return .redirect(to: returnTo ?? "/", status: 303)
            }
            let page = Pages.login(browser.context, login: "", error: nil, returnTo: returnTo)
            return .html(page, headers: browser.cookies)
        } catch {
            return serverErrorPage(error, request)
        }
    }

    func login(_ request: Request) -> Response {
        if let failure = parameterFailurePage(request) { return failure }
        do {
            let browser = try browser(request)
            guard csrfIsValid(request, browser) else { return formExpiredPage(request) }
            let login = request.form["login"] ?? ""
            let returnTo = Self.localPath(request.form["return_to"])

            let user: User
            do {
                user = try Accounts(context: context).authenticate(
                    login: login, password: request.form["password"] ?? "",
                    remoteAddress: request.remoteAddress)
            } catch let error where !error.isServerSide {
                noteLoginFailure(error, request)
                let locked = error.status == 429
                let page = Pages.login(
                    browser.context, login: login,
                    error: locked ? Strings.lockedOut : Strings.wrongPassword, returnTo: returnTo)
                var headers = browser.cookies
                if let retryAfter = error.retryAfter {
                    headers.append(("Retry-After", String(retryAfter)))
                }
                return .html(page, status: locked ? 429 : 400, headers: headers)
            }

            return try startSession(for: user.id, returnTo: returnTo, request)
        } catch {
            return serverErrorPage(error, request)
        }
    }

    /// A new session on every sign-in, so that a cookie planted before it is worthless.
    func startSession(for userID: Int64, returnTo: String?, _ request: Request) throws(OAuthError)
        -> Response
    {
        if let old = request.cookies[Self.sessionCookie] {
            try Sessions(context: context).end(cookie: old)
        }
        let (cookieValue, _) = try Sessions(context: context).start(userID: userID)
        logger.info("auth.login.succeeded", ["request.id": request.id, "user.id": String(userID)])
        let maxAge = Int(context.configuration.sessionLifetime)
        return .redirect(
            to: returnTo ?? "/", status: 303,
            headers: [("Set-Cookie", cookie(Self.sessionCookie, cookieValue, maxAge: maxAge))])
    }

    func showLogout(_ request: Request) -> Response {
        do {
            let browser = try browser(request)
            guard browser.user != nil else { return .redirect(to: "/login", status: 303) }
            return .html(Pages.logout(browser.context))
        } catch {
            return serverErrorPage(error, request)
        }
    }

    func logout(_ request: Request) -> Response {
        do {
            let browser = try browser(request)
            guard csrfIsValid(request, browser) else { return formExpiredPage(request) }
            if let cookieValue = request.cookies[Self.sessionCookie] {
                try Sessions(context: context).end(cookie: cookieValue)
            }
            return .redirect(
                to: "/login", status: 303,
                headers: [("Set-Cookie", cookie(Self.sessionCookie, "", maxAge: 0))])
        } catch {
            return serverErrorPage(error, request)
        }
    }

    func showSignup(_ request: Request) -> Response {
        guard configuration.signupEnabled else {
            return errorPage(
                request, status: 404, title: Strings.notFoundTitle, message: Strings.notFound)
        }
        do {
            let browser = try browser(request)
            let returnTo = Self.localPath(request.query["return_to"])
            let page = Pages.signup(
                browser.context, username: "", email: "", errors: [], returnTo: returnTo)
            return .html(page, headers: browser.cookies)
        } catch {
            return serverErrorPage(error, request)
        }
    }

    func signup(_ request: Request) -> Response {
        guard configuration.signupEnabled else {
            return errorPage(
                request, status: 404, title: Strings.notFoundTitle, message: Strings.notFound)
        }
        if let failure = parameterFailurePage(request) { return failure }
        do {
            let browser = try browser(request)
            guard csrfIsValid(request, browser) else { return formExpiredPage(request) }
            let username = request.form["username"] ?? ""
            let email = request.form["email"] ?? ""
            let returnTo = Self.localPath(request.form["return_to"])

            let problems: [String]
            do {
                let user = try Accounts(context: context).signUp(
                    username: username, email: email, name: request.form["name"] ?? "",
                    password: request.form["password"] ?? "")
                logger.notice(
                    "auth.user.created", ["request.id": request.id, "user.id": String(user.id)])
                return try startSession(for: user.id, returnTo: returnTo, request)
            } catch Accounts.SignUpError.invalid(let messages) {
                problems = messages
            } catch Accounts.SignUpError.taken(let field) {
                problems = [field == "email" ? Strings.emailTaken : Strings.usernameTaken]
            }

            let page = Pages.signup(
                browser.context, username: username, email: email, errors: problems,
                returnTo: returnTo)
            return .html(page, status: 400, headers: browser.cookies)
        } catch let error as OAuthError {
            return serverErrorPage(error, request)
        } catch {
            return serverErrorPage(.serverError(detail: "signup: \(error)"), request)
        }
    }
}
