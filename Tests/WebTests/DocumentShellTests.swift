import LatchkeyWeb
import Testing

@Suite struct DocumentShellTests {
    static let pages = Fixtures.allPages()
    static let pageNames = pages.map(\.name)

    static func page(_ name: String) -> String {
        pages.first { $0.name == name }!.html
    }

    @Test(arguments: pageNames)
    func page_hasTheStandardShell(name: String) {
        let html = Self.page(name)

        #expect(html.hasPrefix("<!doctype html>\n<html lang=\"en\">"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(
            html.contains(
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
        #expect(html.contains("<link rel=\"stylesheet\" href=\"/style.css\">"))
        #expect(Markup.title(of: html)?.hasSuffix("Latchkey") == true)
        #expect(html.contains("<a class=\"brand\" href=\"/\">Latchkey</a>"))
        #expect(html.contains("<main id=\"content\""))
        #expect(html.components(separatedBy: "<h1>").count == 2, "exactly one h1")
        #expect(html.hasSuffix("</html>\n"))
    }

    @Test(arguments: pageNames)
    func page_hasNoScriptStyleOrRemoteResource(name: String) {
        let html = Self.page(name).lowercased()

        #expect(!html.contains("<script"))
        #expect(!html.contains(" style="))
        #expect(!html.contains("<style"))
        #expect(!Markup.attributeNames(in: html).contains { $0.hasPrefix("on") })
        #expect(!html.contains("<img"))
        #expect(!html.contains("<iframe"))
        #expect(Markup.tags("link", in: html).count == 1)
    }

    @Test(arguments: pageNames)
    func page_everyFormPostsWithTheCSRFToken(name: String) {
        let forms = Markup.forms(in: Self.page(name))

        for form in forms {
            let opening = Markup.tags("form", in: form)[0]
            #expect(Markup.attribute("method", of: opening) == "post")
            let tokens = Markup.hiddenFields(in: form).filter { $0.name == "csrf_token" }
            #expect(tokens.count == 1)
            #expect(tokens.first?.value == Fixtures.csrfToken)
        }
    }

    @Test func pages_withForms_haveTheExpectedFormCount() {
        let expected = [
            "home": 0, "login": 1, "signup": 1, "logout": 1, "consent": 1,
            "accountApplications": 1, "accountApplications-empty": 0,
            "developerApplications": 0, "applicationForm-new": 1, "applicationForm-edit": 1,
            "applicationDetail": 2, "applicationDetail-public": 1, "device": 1, "error": 0,
            "error-nil-context": 0,
        ]

        for (name, html) in Self.pages {
            #expect(Markup.forms(in: html).count == expected[name], "\(name)")
        }
    }

    @Test func csrfToken_withSpecialCharacters_isEscapedInEveryForm() {
        let context = PageContext(
            csrfToken: "a\"b<c>&d", signedInUsername: "steve", signupEnabled: true)

        for (name, html) in Fixtures.allPages(context: context) {
            for form in Markup.forms(in: html) {
                #expect(
                    form.contains(
                        "<input type=\"hidden\" name=\"csrf_token\" "
                            + "value=\"a&quot;b&lt;c&gt;&amp;d\">"
                    ),
                    "\(name)")
            }
        }
    }

    @Test(arguments: pageNames)
    func page_everyVisibleFieldHasItsOwnLabel(name: String) {
        let html = Self.page(name)
        let fields = (Markup.tags("input", in: html) + Markup.tags("textarea", in: html))
            .filter { Markup.attribute("type", of: $0) != "hidden" }
        let ids = fields.compactMap { Markup.attribute("id", of: $0) }

        #expect(ids.count == fields.count, "every field has an id")
        #expect(Set(ids).count == ids.count, "ids are unique")
        for id in ids {
            #expect(html.contains("<label for=\"\(id)\">"), "label for \(id)")
        }
    }

    @Test(arguments: pageNames)
    func page_submitControlsAreButtons(name: String) {
        let html = Self.page(name)

        #expect(!html.contains("type=\"submit\" value"))
        #expect(
            Markup.tags("input", in: html).allSatisfy {
                Markup.attribute("type", of: $0) != "submit"
            })
        for form in Markup.forms(in: html) {
            #expect(
                Markup.tags("button", in: form).contains {
                    Markup.attribute("type", of: $0) == "submit"
                })
        }
    }

    @Test(arguments: pageNames)
    func page_skipLinkComesBeforeTheNavigation(name: String) {
        let html = Self.page(name)

        let skip = html.range(of: "<a class=\"skip-link\" href=\"#content\">")
        let nav = html.range(of: "<nav")
        #expect(skip != nil && nav != nil && skip!.lowerBound < nav!.lowerBound)
    }
}

@Suite struct HostileInputTests {
    static let scriptPages = Fixtures.allPages(value: Fixtures.hostileName)
    static let injectionPages = Fixtures.allPages(value: Fixtures.attributeInjection)

    @Test(arguments: scriptPages.map(\.name))
    func scriptInEveryField_appearsOnlyEscaped(name: String) {
        let html = Self.scriptPages.first { $0.name == name }!.html
        let pagesWithoutUserText: Set = [
            "home", "logout", "accountApplications-empty", "applicationDetail-public",
        ]

        #expect(!html.lowercased().contains("<script"))
        if !pagesWithoutUserText.contains(name) {
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }

    @Test(arguments: injectionPages.map(\.name))
    func quoteInEveryField_cannotAddAnAttribute(name: String) {
        let html = Self.injectionPages.first { $0.name == name }!.html

        let names = Markup.attributeNames(in: html)

        #expect(!html.contains("onmouseover=\""))
        #expect(!names.contains { $0.lowercased().hasPrefix("on") })
        #expect(names.contains("href"), "the reader found the page's attributes")
    }
}
