/// Complete HTML documents for every page Latchkey serves (SPEC §3).
///
/// Each function takes plain values and returns the whole document; it does no I/O.
/// Every string from users, clients or the request is escaped, every form posts with
/// the context's CSRF token, and no page has a script, an inline style or a remote
/// resource, so the pages work under `default-src 'none'; style-src 'self'`.
public enum Pages {
    /// `/`: what Latchkey is, and where to go next.
    public static func home(_ context: PageContext) -> String {
        let next: String
        if context.signedInUsername != nil {
            next = """
                <ul class="links">
                <li><a href="/account/applications">\(e(Strings.Home.authorizedLink))</a></li>
                <li><a href="/developer/applications">\(e(Strings.Home.registeredLink))</a></li>
                </ul>
                """
        } else {
            let signUp =
                context.signupEnabled
                ? "<a class=\"button secondary\" href=\"/signup\">\(e(Strings.Home.signUp))</a>"
                : ""
            next = """
                <p class="actions">\
                <a class="button primary" href="/login">\(e(Strings.Home.signIn))</a>\
                \(signUp)</p>
                """
        }

        return Layout.document(
            title: Strings.Home.title, context: context,
            bodyMarkup: """
                <h1>\(e(Strings.Home.title))</h1>
                <p>\(e(Strings.Home.intro))</p>
                <p>\(e(Strings.Home.developerIntro))</p>
                \(next)
                """)
    }

    static func e(_ text: String) -> String {
        HTML.escape(text)
    }
}
