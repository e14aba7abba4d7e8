import LatchkeyHTTP
import LatchkeyOAuth
import LatchkeyStorage
import LatchkeyWeb

/// The browser side: session cookie, CSRF tokens and the page context.
extension App {
    static let sessionCookie = "latchkey_session"
    static let visitorCSRFCookie = "latchkey_csrf"

    /// What a page handler knows about the browser it is answering.
    struct Browser {
        var session: Session?
        var user: User?
        var context: PageContext
        /// `Set-Cookie` headers the response must carry (a new visitor CSRF cookie).
        var cookies: [(name: String, value: String)]
    }

    func browser(_ request: Request) throws(OAuthError) -> Browser {
        let sessions = Sessions(context: context)
        let session = try sessions.resolve(cookie: request.cookies[Self.sessionCookie])
        let user = try session.flatMap { session throws(OAuthError) in
            try context.store { try context.storage.user(id: session.userID) }
        }
        if let session, let user {
            let pageContext = PageContext(
                csrfToken: Sessions.csrfToken(for: session), signedInUsername: user.username,
                signupEnabled: configuration.signupEnabled)
            return Browser(session: session, user: user, context: pageContext, cookies: [])
        }

        // Visitors get a CSRF cookie of their own for the login and sign-up forms.
        var cookies: [(name: String, value: String)] = []
        var visitorToken = request.cookies[Self.visitorCSRFCookie] ?? ""
        if visitorToken.count < 32 {
            visitorToken = Sessions.newVisitorCSRF()
            cookies.append(
                ("Set-Cookie", cookie(Self.visitorCSRFCookie, visitorToken, maxAge: nil)))
        }
        let pageContext = PageContext(
            csrfToken: visitorToken, signedInUsername: nil,
            signupEnabled: configuration.signupEnabled)
        return Browser(session: nil, user: nil, context: pageContext, cookies: cookies)
    }

    /// Whether a submitted form carries the right CSRF token for this browser.
    func csrfIsValid(_ request: Request, _ browser: Browser) -> Bool {
        let submitted = request.form["csrf_token"]
        if let session = browser.session {
            return Sessions.verifyCSRF(submitted, session: session)
        }
        return Sessions.verifyVisitorCSRF(
            submitted, cookie: request.cookies[Self.visitorCSRFCookie])
    }

    /// SPEC §3: `HttpOnly`, `SameSite=Lax`, and `Secure` when served over TLS.
    func cookie(_ name: String, _ value: String, maxAge: Int?) -> String {
        var attributes = "\(name)=\(value); Path=/; HttpOnly; SameSite=Lax"
        if let maxAge { attributes += "; Max-Age=\(maxAge)" }
        if configuration.secureCookies { attributes += "; Secure" }
        return attributes
    }

    /// Sends a visitor to the login page, to come back to `returnTo` afterwards.
    /// `forced` shows the form even to a signed-in user (OIDC `prompt=login`, `max_age`).
    func redirectToLogin(returnTo: String, forced: Bool = false) -> Response {
        let prompt = forced ? "prompt=login&" : ""
        return .redirect(to: "/login?" + prompt + "return_to=" + RedirectURI.formEncode(returnTo))
    }

    /// The path and query of this request, to come back to after signing in.
    static func returnAddress(of request: Request) -> String {
        guard let query = request.rawQuery, !query.isEmpty else { return request.path }
        return request.path + "?" + query
    }

    /// Only a local path may be a return address, so that the login page is no open
    /// redirector: it must start with one `/`, not `//` or `/\`.
    static func localPath(_ candidate: String?) -> String? {
        guard let candidate, candidate.hasPrefix("/"), !candidate.hasPrefix("//"),
            !candidate.hasPrefix("/\\"),
            !candidate.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\\" })
        else { return nil }
        return candidate
    }

    /// A page for an error of Latchkey's own, logged with its cause.
    func serverErrorPage(_ error: OAuthError, _ request: Request) -> Response {
        logServerError(error, request)
        let headers = error.retryAfter.map { [("Retry-After", String($0))] } ?? []
        return errorPage(
            request, status: error.status == 503 ? 503 : 500, title: Strings.serverErrorTitle,
            message: Strings.serverError, headers: headers)
    }

    func formExpiredPage(_ request: Request) -> Response {
        errorPage(
            request, status: 403, title: Strings.formExpiredTitle, message: Strings.formExpired)
    }
}
