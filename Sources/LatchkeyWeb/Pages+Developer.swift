extension Pages {
    /// `/developer/applications` (SPEC §3): the user's registered applications, each
    /// linking to its page, and the way to register another.
    public static func developerApplications(
        _ context: PageContext, applications: [RegisteredApplication], notice: String?
    ) -> String {
        let list =
            applications.isEmpty
            ? "<p class=\"empty\">\(e(Strings.Developer.empty))</p>"
            : "<ul class=\"cards\">\n" + applications.map(registeredItem).joined(separator: "\n")
                + "\n</ul>"

        return Layout.document(
            title: Strings.Developer.title, context: context, current: .developer,
            bodyMarkup: """
                <h1>\(e(Strings.Developer.title))</h1>
                \(Layout.notice(notice))
                <p>\(e(Strings.Developer.intro))</p>
                <p class="actions"><a class="button primary" href="/developer/applications/new">\
                \(e(Strings.Developer.register))</a></p>
                \(list)
                """)
    }

    private static func registeredItem(_ application: RegisteredApplication) -> String {
        let path = "/developer/applications/\(HTML.percentEncoded(application.clientID))"
        let kind =
            application.isPublic
            ? Strings.Developer.publicClient : Strings.Developer.confidentialClient

        return """
            <li class="card">
            <h2><a href="\(e(path))">\(e(application.name))</a></h2>
            <dl class="facts">
            <dt>\(e(Strings.Developer.clientIDLabel))</dt>\
            <dd><code class="credential">\(e(application.clientID))</code></dd>
            </dl>
            <p class="hint">\(e(kind))</p>
            </li>
            """
    }

    /// The register and edit form (SPEC §3, field names per §7). With `clientID` it edits
    /// that application (`POST /developer/applications/{clientID}`), otherwise it
    /// registers a new one (`POST /developer/applications`). Values are shown as typed.
    ///
    /// - Parameter callbackURLs: the textarea's text, one URL a line.
    public static func applicationForm(
        _ context: PageContext, editing clientID: String?, name: String, url: String,
        callbackURLs: String, grantChoices: [GrantChoice] = [], errors: [String]
    ) -> String {
        let title =
            clientID == nil ? Strings.ApplicationForm.newTitle : Strings.ApplicationForm.editTitle
        let action = clientID.map { "/developer/applications/\(HTML.percentEncoded($0))" }
        let cancelPath = action ?? "/developer/applications"
        let submit =
            clientID == nil ? Strings.ApplicationForm.submitNew : Strings.ApplicationForm.submitEdit
        let fields = [
            Layout.textField(
                name: "name", label: Strings.ApplicationForm.nameLabel, value: name,
                autocomplete: "off"),
            Layout.textField(
                name: "url", label: Strings.ApplicationForm.urlLabel, type: "url", value: url,
                autocomplete: "url", capitalization: "none"),
            callbackArea(callbackURLs),
            grantFieldset(grantChoices),
            """
            <p class="actions">\(Layout.button(submit))\
            <a class="button secondary" href="\(e(cancelPath))">\(e(Strings.cancel))</a></p>
            """,
        ]
        let form = Layout.form(
            action: action ?? "/developer/applications", context: context,
            fieldsMarkup: fields.joined(separator: "\n"))

        return Layout.document(
            title: title, context: context, current: .developer,
            bodyMarkup: """
                <h1>\(e(title))</h1>
                \(Layout.errorList(errors))
                \(form)
                """)
    }

    /// One checkbox a grant type. The hidden marker tells an unticked box from a form
    /// that had no boxes at all.
    private static func grantFieldset(_ choices: [GrantChoice]) -> String {
        guard !choices.isEmpty else { return "" }
        let boxes = choices.map { choice in
            let id = "grant-\(choice.value)"
            return """
                <div class="check"><input type="checkbox" id="\(e(id))" name="grant_types" \
                value="\(e(choice.value))"\(choice.isChecked ? " checked" : "")> \
                <label for="\(e(id))">\(e(choice.label))</label></div>
                """
        }
        return """
            <fieldset class="field">
            <legend>\(e(Strings.ApplicationForm.grantsLegend))</legend>
            <input type="hidden" name="grant_types_present" value="1">
            \(boxes.joined(separator: "\n"))
            </fieldset>
            """
    }

    private static func callbackArea(_ callbackURLs: String) -> String {
        // A newline right after <textarea> is dropped by the parser, so one is written
        // first to keep a value that itself starts with a blank line.
        """
        <div class="field">
        <label for="callback_urls">\(e(Strings.ApplicationForm.callbacksLabel))</label>
        <p class="hint" id="callback_urls-hint">\(e(Strings.ApplicationForm.callbacksHint))</p>
        <textarea id="callback_urls" name="callback_urls" rows="4" required \
        aria-describedby="callback_urls-hint" autocomplete="off" spellcheck="false">
        \(e(callbackURLs))</textarea>
        </div>
        """
    }
}
