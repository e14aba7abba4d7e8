extension Pages {
    /// `/account/applications` (SPEC §3): every application holding a grant from the
    /// user, with its scopes, when it was authorized and last used, and a Revoke form
    /// posting to `/account/applications/{clientID}/revoke`.
    public static func accountApplications(
        _ context: PageContext, applications: [AuthorizedApplication], notice: String?
    ) -> String {
        let list =
            applications.isEmpty
            ? "<p class=\"empty\">\(e(Strings.Account.empty))</p>"
            : "<ul class=\"cards\">\n"
                + applications.map { authorizedItem($0, context: context) }.joined(
                    separator: "\n") + "\n</ul>"

        return Layout.document(
            title: Strings.Account.title, context: context, current: .applications,
            bodyMarkup: """
                <h1>\(e(Strings.Account.title))</h1>
                \(Layout.notice(notice))
                <p>\(e(Strings.Account.intro))</p>
                \(list)
                """)
    }

    private static func authorizedItem(
        _ application: AuthorizedApplication, context: PageContext
    ) -> String {
        let scopes =
            application.scopes.isEmpty
            ? e(Strings.Account.noScopes)
            : application.scopes.map { "<code class=\"scope\">\(e($0))</code>" }.joined(
                separator: " ")
        let lastUsed = application.lastUsedAt.map(DisplayDate.element) ?? e(Strings.Account.never)
        let action = "/account/applications/\(HTML.percentEncoded(application.clientID))/revoke"
        // The button's hidden words tell screen-reader users which application a
        // "Revoke" button belongs to when they tab through a list of them.
        let button = """
            <button type="submit" class="button danger">\(e(Strings.Account.revoke))\
            <span class="visually-hidden">\(e(Strings.Account.revokeFor(application.name)))\
            </span></button>
            """

        return """
            <li class="card">
            <h2>\(e(application.name))</h2>
            <dl class="facts">
            <dt>\(e(Strings.Account.urlLabel))</dt><dd>\(Layout.externalLink(application.url))</dd>
            <dt>\(e(Strings.Account.scopesLabel))</dt><dd>\(scopes)</dd>
            <dt>\(e(Strings.Account.authorizedLabel))</dt>\
            <dd>\(DisplayDate.element(application.authorizedAt))</dd>
            <dt>\(e(Strings.Account.lastUsedLabel))</dt><dd>\(lastUsed)</dd>
            </dl>
            \(Layout.form(action: action, context: context, fieldsMarkup: button))
            </li>
            """
    }
}
