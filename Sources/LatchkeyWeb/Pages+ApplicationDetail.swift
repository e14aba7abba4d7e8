extension Pages {
    /// `/developer/applications/{clientID}` (SPEC §3): the application's settings and
    /// client ID, the new secret when one was just created (shown this once), and the
    /// forms to generate a new secret and to delete the application.
    ///
    /// - Parameter newSecret: the secret created by this request, or `nil` on every other
    ///   visit; it is never stored in a readable form, so it cannot be shown again.
    public static func applicationDetail(
        _ context: PageContext, application: RegisteredApplication, newSecret: String?,
        notice: String?
    ) -> String {
        let path = "/developer/applications/\(HTML.percentEncoded(application.clientID))"
        let callbacks =
            "<ul class=\"plain\">"
            + application.callbackURLs.map { "<li><span class=\"url\">\(e($0))</span></li>" }
            .joined() + "</ul>"
        let kind =
            application.isPublic
            ? Strings.Developer.publicClient : Strings.Developer.confidentialClient

        return Layout.document(
            title: application.name, context: context, current: .developer,
            bodyMarkup: """
                <h1>\(e(application.name))</h1>
                \(Layout.notice(notice))
                \(newSecret.map(secretPanel) ?? "")
                <dl class="facts">
                <dt>\(e(Strings.ApplicationDetail.clientIDLabel))</dt>\
                <dd><code class="credential">\(e(application.clientID))</code></dd>
                <dt>\(e(Strings.ApplicationDetail.urlLabel))</dt>\
                <dd>\(Layout.externalLink(application.url))</dd>
                <dt>\(e(Strings.ApplicationDetail.callbacksLabel))</dt><dd>\(callbacks)</dd>
                <dt>\(e(Strings.ApplicationDetail.typeLabel))</dt><dd>\(e(kind))</dd>
                <dt>\(e(Strings.ApplicationDetail.createdLabel))</dt>\
                <dd>\(DisplayDate.element(application.createdAt))</dd>
                </dl>
                <p class="actions"><a class="button secondary" href="\(e(path))/edit">\
                \(e(Strings.ApplicationDetail.edit))</a></p>
                \(application.isPublic ? "" : regenerateSection(path: path, context: context))
                \(deleteSection(path: path, context: context))
                <p><a href="/developer/applications">\(e(Strings.ApplicationDetail.back))</a></p>
                """)
    }

    private static func secretPanel(_ secret: String) -> String {
        """
        <section class="alert warning" aria-labelledby="secret-heading">
        <h2 id="secret-heading">\(e(Strings.ApplicationDetail.secretHeading))</h2>
        <p><strong>\(e(Strings.ApplicationDetail.secretWarning))</strong></p>
        <p><code class="credential secret">\(e(secret))</code></p>
        <p class="hint">\(e(Strings.ApplicationDetail.secretExplanation))</p>
        </section>
        """
    }

    private static func regenerateSection(path: String, context: PageContext) -> String {
        let button = Layout.button(Strings.ApplicationDetail.regenerate, kind: "secondary")
        return """
            <section aria-labelledby="regenerate-heading">
            <h2 id="regenerate-heading">\(e(Strings.ApplicationDetail.regenerateHeading))</h2>
            <p>\(e(Strings.ApplicationDetail.regenerateExplanation))</p>
            \(Layout.form(action: path + "/secret", context: context, fieldsMarkup: button))
            </section>
            """
    }

    private static func deleteSection(path: String, context: PageContext) -> String {
        let button = Layout.button(Strings.ApplicationDetail.delete, kind: "danger")
        return """
            <section aria-labelledby="delete-heading">
            <h2 id="delete-heading">\(e(Strings.ApplicationDetail.deleteHeading))</h2>
            <p>\(e(Strings.ApplicationDetail.deleteExplanation))</p>
            \(Layout.form(action: path + "/delete", context: context, fieldsMarkup: button))
            </section>
            """
    }
}
