import LatchkeyHTTP

extension App {
    /// Every method and pattern Latchkey answers (and HEAD wherever GET is), made by the
    /// same `addRoutes` that fills the live router, so that what is checked against it,
    /// such as `openapi.yaml`, cannot drift from what is served.
    public static let routeTable: [RouteSignature] = {
        var router = Router()
        addRoutes(to: &router)
        return router.signatures
    }()

    /// Every path Latchkey answers.
    static func addRoutes(to router: inout Router) {
        // The seed document's endpoints (SPEC §1). Showing the authorization writes when
        // consent was given before: the grant and a code, committed before the redirect.
        router.add("GET", "/authorize", blocks: true) { app, request, _ in
            app.showAuthorization(request, dialect: .legacy)
        }
        router.add("POST", "/authorize/decision") { app, request, _ in
            app.decide(request, dialect: .legacy)
        }
        router.add("POST", "/authorize/token") { app, request, _ in app.exchangeCode(request) }
        router.add("POST", "/authorize") { app, request, _ in app.authorizeNonWeb(request) }
        router.add("GET", "/api/v1/me") { app, request, _ in app.me(request) }
        router.add("GET", "/api/v1") { app, request, _ in app.me(request) }

        // The standard endpoints (SPEC §2).
        router.add("GET", "/oauth/authorize", blocks: true) { app, request, _ in
            app.showAuthorization(request, dialect: .standard)
        }
        router.add("POST", "/oauth/authorize") { app, request, _ in
            app.showAuthorization(request, dialect: .standard)
        }
        router.add("POST", "/oauth/authorize/decision") { app, request, _ in
            app.decide(request, dialect: .standard)
        }
        router.add("POST", "/oauth/token", runsInline: App.tokenRequestWaitsOnNothing) {
            app, request, _ in app.issueOAuthToken(request)
        }
        router.add("POST", "/oauth/revoke") { app, request, _ in app.revokeOAuthToken(request) }
        // Reads only, and as cheap as an API call: a hand-off to the blocking pool would
        // cost more than it spares.
        router.add("POST", "/oauth/introspect", blocks: false) { app, request, _ in
            app.introspectOAuthToken(request)
        }
        router.add("POST", "/oauth/device_authorization") { app, request, _ in
            app.authorizeDevice(request)
        }
        router.add("GET", "/device") { app, request, _ in app.showDevice(request) }
        router.add("POST", "/device") { app, request, _ in app.submitDevice(request) }
        router.add("GET", "/.well-known/oauth-authorization-server") { app, request, _ in
            app.authorizationServerMetadata(request)
        }

        // OpenID Connect (SPEC §2).
        router.add("GET", "/oauth/userinfo") { app, request, _ in app.userInfo(request) }
        router.add("POST", "/oauth/userinfo", blocks: false) { app, request, _ in
            app.userInfo(request)
        }
        router.add("GET", "/oauth/jwks") { app, request, _ in app.jwks(request) }
        router.add("GET", "/.well-known/openid-configuration") { app, request, _ in
            app.openIDConfiguration(request)
        }

        // Pages (SPEC §3).
        router.add("GET", "/") { app, request, _ in app.home(request) }
        router.add("GET", "/login") { app, request, _ in app.showLogin(request) }
        router.add("POST", "/login") { app, request, _ in app.login(request) }
        router.add("GET", "/logout") { app, request, _ in app.showLogout(request) }
        router.add("POST", "/logout") { app, request, _ in app.logout(request) }
        router.add("GET", "/signup") { app, request, _ in app.showSignup(request) }
        router.add("POST", "/signup") { app, request, _ in app.signup(request) }
        router.add("GET", "/account/applications") { app, request, _ in
            app.accountApplications(request)
        }
        router.add("POST", "/account/applications/{client_id}/revoke") { app, request, captures in
            app.revokeApplication(request, clientID: captures["client_id"]!)
        }
        router.add("GET", "/developer/applications") { app, request, _ in
            app.developerApplications(request)
        }
        router.add("GET", "/developer/applications/new") { app, request, _ in
            app.newApplicationForm(request)
        }
        router.add("POST", "/developer/applications") { app, request, _ in
            app.registerApplication(request)
        }
        router.add("GET", "/developer/applications/{client_id}") { app, request, captures in
            app.showApplication(request, clientID: captures["client_id"]!)
        }
        router.add("GET", "/developer/applications/{client_id}/edit") { app, request, captures in
            app.editApplicationForm(request, clientID: captures["client_id"]!)
        }
        router.add("POST", "/developer/applications/{client_id}") { app, request, captures in
            app.updateApplication(request, clientID: captures["client_id"]!)
        }
        router.add("POST", "/developer/applications/{client_id}/secret") {
            app, request, captures in
            app.rotateApplicationSecret(request, clientID: captures["client_id"]!)
        }
        router.add("POST", "/developer/applications/{client_id}/delete") {
            app, request, captures in
            app.deleteApplication(request, clientID: captures["client_id"]!)
        }

        // Operations (SPEC §8).
        router.add("GET", "/healthz") { app, request, _ in app.health(request) }
        router.add("GET", "/readyz") { app, request, _ in app.readiness(request) }
        router.add("GET", "/style.css") { app, request, _ in app.stylesheet(request) }
        router.add("GET", "/openapi.yaml") { app, request, _ in app.openAPIDocument(request) }
        router.add("GET", "/metrics") { app, request, _ in
            guard app.configuration.metricsOnMainPort else {
                return app.errorPage(
                    request, status: 404, title: Strings.notFoundTitle, message: Strings.notFound)
            }
            return app.metricsResponse()
        }
    }
}
