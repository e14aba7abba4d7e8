/// The document shell and the small pieces of markup every page shares.
///
/// Values passed to these helpers are plain text unless a parameter says it takes
/// markup; the helpers escape them.
enum Layout {
    /// The navigation entry a page belongs to, marked `aria-current="page"`.
    enum NavItem {
        case signIn, signUp, applications, developer, signOut
    }

    /// A complete HTML document with the header, navigation and `bodyMarkup` in `<main>`.
    ///
    /// A `nil` context (an error before the session is known) shows the visitor's "Sign in"
    /// link only, since whether sign-up is open is unknown too.
    static func document(
        title: String, context: PageContext?, current: NavItem? = nil, bodyMarkup: String
    ) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) · \(escape(Strings.appName))</title>
        <link rel="stylesheet" href="\(Stylesheet.path)">
        </head>
        <body>
        <a class="skip-link" href="#content">\(escape(Strings.skipToContent))</a>
        <header class="site-header">
        <a class="brand" href="/">\(escape(Strings.appName))</a>
        \(navigation(context, current: current))
        </header>
        <main id="content" tabindex="-1">
        \(bodyMarkup)
        </main>
        </body>
        </html>

        """
    }

    private static func navigation(_ context: PageContext?, current: NavItem?) -> String {
        var items: [String] = []
        if let username = context?.signedInUsername {
            items.append(
                "<li class=\"nav-user\">\(escape(Strings.signedInAs)) "
                    + "<strong>\(escape(username))</strong></li>")
            items.append(
                navLink(
                    "/account/applications", Strings.navApplications,
                    isCurrent: current == .applications))
            items.append(
                navLink(
                    "/developer/applications", Strings.navDeveloper,
                    isCurrent: current == .developer))
            items.append(navLink("/logout", Strings.navSignOut, isCurrent: current == .signOut))
        } else {
            items.append(navLink("/login", Strings.navSignIn, isCurrent: current == .signIn))
            if context?.signupEnabled == true {
                items.append(navLink("/signup", Strings.navSignUp, isCurrent: current == .signUp))
            }
        }
        return "<nav aria-label=\"\(escape(Strings.navLabel))\"><ul>"
            + items.joined() + "</ul></nav>"
    }

    private static func navLink(_ path: String, _ label: String, isCurrent: Bool) -> String {
        let currentAttribute = isCurrent ? " aria-current=\"page\"" : ""
        return "<li><a href=\"\(escape(path))\"\(currentAttribute)>\(escape(label))</a></li>"
    }

    /// Shorthand for `HTML.escape`, used in nearly every line of markup.
    static func escape(_ text: String) -> String {
        HTML.escape(text)
    }

    /// A `POST` form to `action` that always carries the CSRF token first; `fieldsMarkup`
    /// is markup. Every form on every page is built here so none can miss the token.
    static func form(
        action: String, context: PageContext, className: String? = nil, fieldsMarkup: String
    ) -> String {
        let classAttribute = className.map { " class=\"\(escape($0))\"" } ?? ""
        return """
            <form method="post" action="\(escape(action))"\(classAttribute)>
            \(hidden(name: "csrf_token", value: context.csrfToken))
            \(fieldsMarkup)
            </form>
            """
    }

    /// `<input type="hidden">` with an escaped name and value.
    static func hidden(name: String, value: String) -> String {
        "<input type=\"hidden\" name=\"\(escape(name))\" value=\"\(escape(value))\">"
    }

    /// A labelled single-line input. `id` doubles as the field name; `value` is echoed
    /// back (never pass a password here: password inputs use `passwordField`).
    ///
    /// - Parameter capitalization: `none` for identifiers and URLs, which phone keyboards
    ///   would otherwise capitalize and spell-correct; `nil` leaves the browser default.
    static func textField(
        name: String, label: String, type: String = "text", value: String,
        autocomplete: String, required: Bool = true, hint: String? = nil,
        capitalization: String? = nil
    ) -> String {
        let hintID = "\(name)-hint"
        let hintMarkup = hint.map { "<p class=\"hint\" id=\"\(hintID)\">\(escape($0))</p>" }
        let describedBy = hint == nil ? "" : " aria-describedby=\"\(hintID)\""
        let verbatim = capitalization.map {
            " autocapitalize=\"\($0)\" spellcheck=\"false\""
        }
        let requiredAttribute = required ? " required" : ""
        return """
            <div class="field">
            <label for="\(name)">\(escape(label))</label>
            \(hintMarkup ?? "")<input id="\(name)" name="\(name)" type="\(type)" \
            value="\(escape(value))" autocomplete="\(autocomplete)"\(describedBy)\
            \(verbatim ?? "")\(requiredAttribute)>
            </div>
            """
    }

    /// A labelled password input that never echoes a value.
    static func passwordField(name: String, label: String, autocomplete: String) -> String {
        """
        <div class="field">
        <label for="\(name)">\(escape(label))</label>
        <input id="\(name)" name="\(name)" type="password" autocomplete="\(autocomplete)" \
        required>
        </div>
        """
    }

    /// A submit button; `name` and `value` are set only when the server reads them.
    static func button(
        _ label: String, kind: String = "primary", name: String? = nil, value: String? = nil
    ) -> String {
        let nameAttribute = name.map { " name=\"\(escape($0))\"" } ?? ""
        let valueAttribute = value.map { " value=\"\(escape($0))\"" } ?? ""
        return "<button type=\"submit\" class=\"button \(kind)\"\(nameAttribute)"
            + "\(valueAttribute)>\(escape(label))</button>"
    }

    /// The error summary at the top of a form, announced by screen readers when it
    /// appears; empty when there are no errors.
    static func errorList(_ errors: [String]) -> String {
        guard !errors.isEmpty else { return "" }

        let items = errors.map { "<li>\(escape($0))</li>" }.joined()
        return "<div class=\"alert error\" role=\"alert\"><p>\(escape(Strings.errorsHeading))"
            + "</p><ul>\(items)</ul></div>"
    }

    /// A single error message (login failures), or nothing.
    static func errorMessage(_ error: String?) -> String {
        guard let error else { return "" }

        return "<div class=\"alert error\" role=\"alert\"><p>\(escape(error))</p></div>"
    }

    /// A confirmation such as "Application deleted.", or nothing.
    static func notice(_ notice: String?) -> String {
        guard let notice else { return "" }

        return "<div class=\"alert notice\" role=\"status\"><p>\(escape(notice))</p></div>"
    }

    /// A link to a URL someone else registered. Only http and https URLs become links,
    /// and they never send a referrer or keep a handle on this window.
    static func externalLink(_ url: String) -> String {
        guard HTML.isLinkable(url) else {
            return "<span class=\"url\">\(escape(url))</span>"
        }

        return "<a class=\"url\" href=\"\(escape(url))\" rel=\"noopener noreferrer\">"
            + "\(escape(url))</a>"
    }
}
