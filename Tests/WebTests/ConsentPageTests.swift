import LatchkeyWeb
import Testing

@Suite struct ConsentPageTests {
    static func render(
        clientName: String = "PhoneGap Build", clientURL: String = "https://build.example.com",
        scopes: [ScopeDescription] = [
            ScopeDescription(name: "profile", description: "See your username and profile"),
            ScopeDescription(name: "email", description: "See your email address"),
        ],
        action: String = "/authorize/decision",
        hiddenFields: [(name: String, value: String)] = [(name: "client_id", value: "abc")]
    ) -> String {
        Pages.consent(
            Fixtures.signedIn, clientName: clientName, clientURL: clientURL, scopes: scopes,
            action: action, hiddenFields: hiddenFields)
    }

    @Test func consent_hasAllowThenDenyButtonsNamedDecision() throws {
        let buttons = Markup.tags("button", in: try #require(Markup.forms(in: Self.render()).first))

        try #require(buttons.count == 2)
        #expect(Markup.attribute("name", of: buttons[0]) == "decision")
        #expect(Markup.attribute("value", of: buttons[0]) == "allow")
        #expect(Markup.attribute("name", of: buttons[1]) == "decision")
        #expect(Markup.attribute("value", of: buttons[1]) == "deny")
        #expect(buttons.allSatisfy { Markup.attribute("type", of: $0) == "submit" })
        #expect(buttons.allSatisfy { !$0.contains("tabindex") && !$0.contains("disabled") })
        #expect(Self.render().contains(">Allow</button>"))
        #expect(Self.render().contains(">Deny</button>"))
    }

    @Test func consent_postsToTheGivenAction() throws {
        let form = try #require(
            Markup.forms(in: Self.render(action: "/oauth/authorize/decision")).first)

        #expect(
            Markup.tags("form", in: form)[0]
                == "<form method=\"post\" action=\"/oauth/authorize/decision\" class=\"consent\">")
    }

    @Test func consent_echoesEveryHiddenFieldInOrderEscaped() throws {
        let html = Self.render(hiddenFields: [
            (name: "client_id", value: "abc"),
            (name: "state", value: "x\"><script>alert(1)</script>"),
            (name: "redirect_uri", value: "https://app.example/cb?a=1&b=2"),
            (name: "scope", value: ""),
        ])

        let fields = Markup.hiddenFields(in: try #require(Markup.forms(in: html).first))
        try #require(
            fields.map(\.name) == ["csrf_token", "client_id", "state", "redirect_uri", "scope"])
        #expect(fields[2].value == "x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;")
        #expect(fields[3].value == "https://app.example/cb?a=1&amp;b=2")
        #expect(fields[4].value == "")
        #expect(!html.contains("<script"))
    }

    @Test func consent_hostileFieldName_isEscaped() {
        let html = Self.render(hiddenFields: [(name: Fixtures.attributeInjection, value: "v")])

        #expect(html.contains("name=\"&quot; onmouseover=&quot;x\""))
        #expect(!html.contains("onmouseover=\"x"))
    }

    @Test func consent_namesTheApplicationAndLinksItsURLSafely() {
        let html = Self.render()

        #expect(html.contains("<h1>Allow PhoneGap Build to use your account?</h1>"))
        #expect(
            html.contains(
                "<a class=\"url\" href=\"https://build.example.com\" rel=\"noopener noreferrer\">"
                    + "https://build.example.com</a>"))
    }

    @Test func consent_listsScopesInPlainWords() {
        let html = Self.render()

        #expect(
            html.contains(
                "<li>See your username and profile <code class=\"scope\">profile</code></li>"))
        #expect(html.contains("<li>See your email address <code class=\"scope\">email</code></li>"))
    }

    @Test func consent_withoutScopes_saysSoInsteadOfAnEmptyList() {
        let html = Self.render(scopes: [])

        #expect(!html.contains("<ul class=\"scopes\">"))
        #expect(html.contains("It asks for no access beyond knowing that you allowed it."))
    }

    @Test func consent_scriptClientName_appearsOnlyEscaped() {
        let html = Self.render(clientName: Fixtures.hostileName)

        #expect(!html.contains("<script"))
        #expect(html.contains("Allow &lt;script&gt;alert(1)&lt;/script&gt; to use your account?"))
    }

    @Test func consent_attributeInjectionInURL_staysInsideTheAttribute() {
        let html = Self.render(clientURL: "https://evil.example/\(Fixtures.attributeInjection)")

        #expect(!html.contains("onmouseover=\""))
        #expect(
            html.contains("href=\"https://evil.example/&quot; onmouseover=&quot;x\"")
                || html.contains(
                    "<span class=\"url\">https://evil.example/&quot; onmouseover=&quot;x</span>")
        )
    }

    @Test(arguments: [
        "javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>x</b>",
        "vbscript:x", "//evil.example", "not a url", "",
    ])
    func consent_nonHTTPURL_isShownAsTextNotLinked(url: String) {
        let html = Self.render(clientURL: url)

        #expect(html.contains("<span class=\"url\">\(HTML.escape(url))</span>"))
        #expect(!html.contains("rel=\"noopener noreferrer\""))
    }

    @Test func consent_everyScopeDescriptionIsEscaped() {
        let html = Self.render(scopes: [
            ScopeDescription(name: "a&b", description: "<i>Read</i> \"all\"")
        ])

        #expect(
            html.contains(
                "<li>&lt;i&gt;Read&lt;/i&gt; &quot;all&quot; "
                    + "<code class=\"scope\">a&amp;b</code></li>"
            ))
    }
}
