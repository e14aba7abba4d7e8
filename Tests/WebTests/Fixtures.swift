import Foundation
import LatchkeyWeb

/// Shared inputs for the page tests, including values a hostile user or client could
/// register.
enum Fixtures {
    static let csrfToken = "csrf-4f9a1c2e7b"
    static let hostileName = "<script>alert(1)</script>"
    static let attributeInjection = "\" onmouseover=\"x"
    static let date = Date(timeIntervalSince1970: 1_796_316_120)  // 3 Dec 2026, 16:42 UTC

    static let signedIn = PageContext(
        csrfToken: csrfToken, signedInUsername: "steve", signupEnabled: true)
    static let visitor = PageContext(
        csrfToken: csrfToken, signedInUsername: nil, signupEnabled: true)
    static let visitorWithoutSignup = PageContext(
        csrfToken: csrfToken, signedInUsername: nil, signupEnabled: false)

    static func authorized(
        clientID: String = "lk_client_1", name: String = "PhoneGap Build",
        url: String = "https://build.example.com", scopes: [String] = ["profile", "email"],
        lastUsedAt: Date? = nil
    ) -> AuthorizedApplication {
        AuthorizedApplication(
            clientID: clientID, name: name, url: url, scopes: scopes, authorizedAt: date,
            lastUsedAt: lastUsedAt)
    }

    static func registered(
        clientID: String = "lk_client_1", name: String = "PhoneGap Build",
        url: String = "https://build.example.com",
        callbackURLs: [String] = ["https://build.example.com/callback"],
        isPublic: Bool = false
    ) -> RegisteredApplication {
        RegisteredApplication(
            clientID: clientID, name: name, url: url, callbackURLs: callbackURLs,
            isPublic: isPublic, createdAt: date)
    }

    /// Every page, rendered with `value` in every user-supplied slot it has, so that
    /// table tests cover all pages at once.
    static func allPages(
        context: PageContext = signedIn, value: String = "PhoneGap Build"
    ) -> [(name: String, html: String)] {
        [
            ("home", Pages.home(context)),
            ("login", Pages.login(context, login: value, error: value, returnTo: value)),
            (
                "signup",
                Pages.signup(
                    context, username: value, email: value, errors: [value], returnTo: value)
            ),
            ("logout", Pages.logout(context)),
            (
                "consent",
                Pages.consent(
                    context, clientName: value, clientURL: "https://example.com/?q=\(value)",
                    scopes: [ScopeDescription(name: value, description: value)],
                    action: "/authorize/decision", hiddenFields: [(name: "state", value: value)])
            ),
            (
                "accountApplications",
                Pages.accountApplications(
                    context, applications: [authorized(clientID: value, name: value)],
                    notice: value)
            ),
            (
                "accountApplications-empty",
                Pages.accountApplications(
                    context, applications: [], notice: nil)
            ),
            (
                "developerApplications",
                Pages.developerApplications(
                    context, applications: [registered(clientID: value, name: value)],
                    notice: value)
            ),
            (
                "applicationForm-new",
                Pages.applicationForm(
                    context, editing: nil, name: value, url: value, callbackURLs: value,
                    errors: [value])
            ),
            (
                "applicationForm-edit",
                Pages.applicationForm(
                    context, editing: value, name: value, url: value, callbackURLs: value,
                    errors: [])
            ),
            (
                "applicationDetail",
                Pages.applicationDetail(
                    context,
                    application: registered(
                        clientID: value, name: value, url: value, callbackURLs: [value]),
                    newSecret: value, notice: value)
            ),
            (
                "applicationDetail-public",
                Pages.applicationDetail(
                    context, application: registered(isPublic: true), newSecret: nil,
                    notice: nil)
            ),
            ("device", Pages.device(context, userCode: value, error: value, notice: value)),
            ("error", Pages.error(context, status: 400, title: value, message: value)),
            ("error-nil-context", Pages.error(nil, status: 404, title: value, message: value)),
        ]
    }
}
