extension Pages {
    /// `/login`. The form posts `csrf_token`, `login`, `password` and, when the visitor
    /// came from an authorization request, `return_to` (SPEC §7).
    public static func login(
        _ context: PageContext, login: String, error: String?, returnTo: String?
    ) -> String {
        let fields = [
            returnTo.map { Layout.hidden(name: "return_to", value: $0) } ?? "",
            Layout.textField(
                name: "login", label: Strings.Login.loginLabel, value: login,
                autocomplete: "username", capitalization: "none"),
            Layout.passwordField(
                name: "password", label: Strings.Login.passwordLabel,
                autocomplete: "current-password"),
            Layout.button(Strings.Login.submit),
        ]
        let form = Layout.form(
            action: "/login", context: context, fieldsMarkup: fields.joined(separator: "\n"))
        let signUp =
            context.signupEnabled
            ? "<p>\(e(Strings.Login.noAccount)) <a href=\"\(signupPath(returnTo))\">"
                + "\(e(Strings.Login.signUpLink))</a></p>"
            : ""

        return Layout.document(
            title: Strings.Login.title, context: context, current: .signIn,
            bodyMarkup: """
                <h1>\(e(Strings.Login.title))</h1>
                \(Layout.errorMessage(error))
                \(form)
                \(signUp)
                """)
    }

    /// `/signup`. The form posts `csrf_token`, `username`, `email`, `password`, the
    /// optional `name` and, when present, `return_to` (SPEC §7).
    ///
    /// - Parameter name: what was typed in the optional name field, kept after an error.
    public static func signup(
        _ context: PageContext, username: String, email: String, name: String = "",
        errors: [String], returnTo: String?
    ) -> String {
        let fields = [
            returnTo.map { Layout.hidden(name: "return_to", value: $0) } ?? "",
            Layout.textField(
                name: "username", label: Strings.Signup.usernameLabel, value: username,
                autocomplete: "username", capitalization: "none"),
            Layout.textField(
                name: "email", label: Strings.Signup.emailLabel, type: "email", value: email,
                autocomplete: "email", capitalization: "none"),
            Layout.passwordField(
                name: "password", label: Strings.Signup.passwordLabel,
                autocomplete: "new-password"),
            Layout.textField(
                name: "name", label: Strings.Signup.nameLabel, value: name,
                autocomplete: "name", required: false),
            Layout.button(Strings.Signup.submit),
        ]
        let form = Layout.form(
            action: "/signup", context: context, fieldsMarkup: fields.joined(separator: "\n"))

        return Layout.document(
            title: Strings.Signup.title, context: context, current: .signUp,
            bodyMarkup: """
                <h1>\(e(Strings.Signup.title))</h1>
                \(Layout.errorList(errors))
                \(form)
                <p>\(e(Strings.Signup.haveAccount)) <a href="\(loginPath(returnTo))">\
                \(e(Strings.Signup.signInLink))</a></p>
                """)
    }

    /// `/logout`: a confirmation, because signing out changes state and so must be a
    /// `POST` carrying the CSRF token rather than a link.
    public static func logout(_ context: PageContext) -> String {
        let status =
            context.signedInUsername.map {
                "<p>\(e(Strings.Logout.signedIn)) <strong>\(e($0))</strong>.</p>"
            } ?? "<p>\(e(Strings.Logout.notSignedIn))</p>"
        let fields = """
            <p class="actions">\(Layout.button(Strings.Logout.submit))\
            <a class="button secondary" href="/">\(e(Strings.cancel))</a></p>
            """

        return Layout.document(
            title: Strings.Logout.title, context: context, current: .signOut,
            bodyMarkup: """
                <h1>\(e(Strings.Logout.title))</h1>
                \(status)
                \(Layout.form(action: "/logout", context: context, fieldsMarkup: fields))
                """)
    }

    /// Keeps the visitor's pending authorization request when they switch between the
    /// sign-in and sign-up pages.
    private static func signupPath(_ returnTo: String?) -> String {
        e(pathKeeping(returnTo, base: "/signup"))
    }

    private static func loginPath(_ returnTo: String?) -> String {
        e(pathKeeping(returnTo, base: "/login"))
    }

    private static func pathKeeping(_ returnTo: String?, base: String) -> String {
        guard let returnTo, !returnTo.isEmpty else { return base }

        // Encoding all but unreserved characters keeps `&`, `=`, `+` and `#` in the
        // value from being read as query syntax.
        return base + "?return_to=" + HTML.percentEncoded(returnTo)
    }
}
