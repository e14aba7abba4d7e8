extension Pages {
    /// The consent page (SPEC §1 and §3): names the application and its main URL, lists
    /// the requested scopes in plain words and offers Allow and Deny.
    ///
    /// One form posts to `action` (`/authorize/decision` or the standard endpoint's)
    /// with the CSRF token, every field of `hiddenFields` and the pressed button as
    /// `decision=allow` or `decision=deny` (SPEC §7). Allow comes first in focus order.
    public static func consent(
        _ context: PageContext, clientName: String, clientURL: String,
        scopes: [ScopeDescription], action: String,
        hiddenFields: [(name: String, value: String)]
    ) -> String {
        let scopeList =
            scopes.isEmpty
            ? "<p>\(e(Strings.Consent.noScopes))</p>"
            : "<p>\(e(Strings.Consent.asksTo))</p>\n<ul class=\"scopes\">"
                + scopes.map(scopeItem).joined() + "</ul>"
        let fields =
            hiddenFields.map { Layout.hidden(name: $0.name, value: $0.value) }
            + [
                """
                <p class="actions">\
                \(Layout.button(Strings.Consent.allow, name: "decision", value: "allow"))\
                \(Layout.button(
                    Strings.Consent.deny, kind: "secondary", name: "decision", value: "deny"))\
                </p>
                """
            ]
        let form = Layout.form(
            action: action, context: context, className: "consent",
            fieldsMarkup: fields.joined(separator: "\n"))

        return Layout.document(
            title: Strings.Consent.title, context: context,
            bodyMarkup: """
                <h1>\(e(Strings.Consent.heading(clientName)))</h1>
                <dl class="facts">
                <dt>\(e(Strings.Consent.applicationLabel))</dt><dd>\(e(clientName))</dd>
                <dt>\(e(Strings.Consent.urlLabel))</dt><dd>\(Layout.externalLink(clientURL))</dd>
                </dl>
                \(scopeList)
                \(form)
                <p class="hint">\(e(Strings.Consent.revokeLater)) \
                <a href="/account/applications">\(e(Strings.Consent.revokeLaterLink))</a>.</p>
                """)
    }

    private static func scopeItem(_ scope: ScopeDescription) -> String {
        "<li>\(e(scope.description)) <code class=\"scope\">\(e(scope.name))</code></li>"
    }
}
