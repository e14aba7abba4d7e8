import LatchkeyWeb
import Testing

@Suite struct DeveloperPagesTests {
    @Test func list_linksEachApplicationAndShowsItsClientID() {
        let html = Pages.developerApplications(
            Fixtures.signedIn,
            applications: [Fixtures.registered(clientID: "lk_a/b", name: "My App")],
            notice: nil)

        #expect(html.contains("<h2><a href=\"/developer/applications/lk_a%2Fb\">My App</a></h2>"))
        #expect(html.contains("<code class=\"credential\">lk_a/b</code>"))
        #expect(
            html.contains(
                "<a class=\"button primary\" href=\"/developer/applications/new\">"
                    + "Register a new application</a>"))
    }

    @Test func list_empty_saysSoAndStillOffersRegistration() {
        let html = Pages.developerApplications(Fixtures.signedIn, applications: [], notice: nil)

        #expect(html.contains("You have not registered any applications yet."))
        #expect(html.contains("href=\"/developer/applications/new\""))
    }

    @Test func list_scriptName_appearsOnlyEscaped() {
        let html = Pages.developerApplications(
            Fixtures.signedIn,
            applications: [
                Fixtures.registered(
                    clientID: Fixtures.attributeInjection,
                    name: Fixtures.hostileName)
            ],
            notice: "<i>Deleted</i>")

        #expect(!html.contains("<script"))
        #expect(!html.contains("<i>"))
        #expect(!html.contains("onmouseover=\""))
        #expect(html.contains(">&lt;script&gt;alert(1)&lt;/script&gt;</a></h2>"))
    }

    @Test func newForm_postsToTheCollectionWithTheSpecFields() throws {
        let html = Pages.applicationForm(
            Fixtures.signedIn, editing: nil, name: "", url: "", callbackURLs: "", errors: [])
        let form = try #require(Markup.forms(in: html).first)

        #expect(form.hasPrefix("<form method=\"post\" action=\"/developer/applications\">"))
        #expect(Markup.fieldNames(in: form) == ["name", "url", "callback_urls"])
        #expect(html.contains("<label for=\"name\">Name</label>"))
        #expect(html.contains("<label for=\"url\">Main Application URL</label>"))
        #expect(html.contains("<label for=\"callback_urls\">Callback URLs, one a line</label>"))
        #expect(html.contains("<h1>Register a new application</h1>"))
        #expect(!html.contains("role=\"alert\""))
    }

    @Test func form_withGrantChoices_offersALabelledCheckboxEach() throws {
        let html = Pages.applicationForm(
            Fixtures.signedIn, editing: nil, name: "", url: "", callbackURLs: "",
            grantChoices: [
                GrantChoice(value: "authorization_code", label: "In the browser", isChecked: true),
                GrantChoice(value: "password", label: "With a <password>", isChecked: false),
            ], errors: [])
        let form = try #require(Markup.forms(in: html).first)

        #expect(form.contains("<input type=\"hidden\" name=\"grant_types_present\" value=\"1\">"))
        #expect(
            form.contains(
                "id=\"grant-authorization_code\" name=\"grant_types\""
                    + " value=\"authorization_code\" checked>"
            ))
        #expect(form.contains("id=\"grant-password\" name=\"grant_types\" value=\"password\">"))
        #expect(form.contains("<label for=\"grant-password\">With a &lt;password&gt;</label>"))
        #expect(form.contains("<legend>What the application may do</legend>"))
    }

    @Test func editForm_postsToTheApplicationPath() throws {
        let html = Pages.applicationForm(
            Fixtures.signedIn, editing: "lk client", name: "A", url: "https://a.example",
            callbackURLs: "https://a.example/cb", errors: [])

        #expect(
            try #require(Markup.forms(in: html).first).hasPrefix(
                "<form method=\"post\" action=\"/developer/applications/lk%20client\">"))
        #expect(html.contains("<h1>Edit application</h1>"))
        #expect(html.contains(">Save changes</button>"))
    }

    @Test func form_afterErrors_listsThemAtTheTopAndKeepsWhatWasTyped() {
        let html = Pages.applicationForm(
            Fixtures.signedIn, editing: nil, name: "A \"quoted\" app",
            url: "ftp://nope", callbackURLs: "https://a.example/cb\n</textarea><script>x",
            errors: ["Main Application URL must start with https://", "<b>bad</b>"])

        let alert = html.range(of: "role=\"alert\"")
        let form = html.range(of: "<form")
        #expect(alert != nil && form != nil && alert!.lowerBound < form!.lowerBound)
        #expect(
            html.contains(
                "<li>Main Application URL must start with https://</li>"
                    + "<li>&lt;b&gt;bad&lt;/b&gt;</li>"
            ))
        #expect(html.contains("value=\"A &quot;quoted&quot; app\""))
        #expect(html.contains("value=\"ftp://nope\""))
        #expect(
            html.contains(
                "spellcheck=\"false\">\nhttps://a.example/cb\n"
                    + "&lt;/textarea&gt;&lt;script&gt;x</textarea>"
            ))
        #expect(!html.contains("<script"))
    }

    @Test func detail_showsSettingsAndClientIDInCode() {
        let html = Pages.applicationDetail(
            Fixtures.signedIn,
            application: Fixtures.registered(
                callbackURLs: ["https://a.example/one", "https://a.example/two"]),
            newSecret: nil, notice: nil)

        #expect(html.contains("<h1>PhoneGap Build</h1>"))
        #expect(
            html.contains("<dt>Client ID</dt><dd><code class=\"credential\">lk_client_1</code>"))
        #expect(html.contains("href=\"https://build.example.com\" rel=\"noopener noreferrer\""))
        #expect(
            html.contains(
                "<li><span class=\"url\">https://a.example/one</span></li>"
                    + "<li><span class=\"url\">https://a.example/two</span></li>"))
        #expect(html.contains("3 Dec 2026, 16:42 UTC"))
        #expect(html.contains("href=\"/developer/applications/lk_client_1/edit\""))
    }

    @Test func detail_withNewSecret_showsItOnceWithAWarning() {
        let secret = "lks_9f8e7d6c5b4a39281706f5e4d3c2b1a0"

        let html = Pages.applicationDetail(
            Fixtures.signedIn, application: Fixtures.registered(), newSecret: secret,
            notice: nil)

        #expect(html.components(separatedBy: secret).count == 2, "the secret appears once")
        #expect(html.contains("<code class=\"credential secret\">\(secret)</code>"))
        #expect(html.contains("Copy it now: it will not be shown again."))
    }

    @Test func detail_withoutNewSecret_showsNoSecret() {
        let html = Pages.applicationDetail(
            Fixtures.signedIn, application: Fixtures.registered(), newSecret: nil, notice: nil)

        #expect(!html.contains("credential secret"))
        #expect(!html.contains("will not be shown again"))
    }

    @Test func detail_hostileSecret_isEscaped() {
        let html = Pages.applicationDetail(
            Fixtures.signedIn, application: Fixtures.registered(), newSecret: "<s>&",
            notice: nil)

        #expect(html.contains("<code class=\"credential secret\">&lt;s&gt;&amp;</code>"))
    }

    @Test func detail_confidential_hasSecretAndDeleteForms() throws {
        let html = Pages.applicationDetail(
            Fixtures.signedIn, application: Fixtures.registered(clientID: "id/1"),
            newSecret: nil, notice: nil)

        let forms = Markup.forms(in: html)
        try #require(forms.count == 2)
        #expect(
            forms[0].hasPrefix(
                "<form method=\"post\" action=\"/developer/applications/id%2F1/secret\">"))
        #expect(forms[0].contains(">Generate a new secret</button>"))
        #expect(
            forms[1].hasPrefix(
                "<form method=\"post\" action=\"/developer/applications/id%2F1/delete\">"))
        #expect(forms[1].contains(">Delete application</button>"))
        #expect(html.contains("revokes every token and code issued to it"))
    }

    @Test func detail_public_hasNoSecretForm() {
        let html = Pages.applicationDetail(
            Fixtures.signedIn, application: Fixtures.registered(isPublic: true),
            newSecret: nil, notice: nil)

        #expect(!html.contains("/secret"))
        #expect(!html.contains("Generate a new secret"))
        #expect(html.contains("Public client (no secret)"))
        #expect(Markup.forms(in: html).count == 1)
    }

    @Test func detail_scriptNameAndURLs_appearOnlyEscaped() {
        let html = Pages.applicationDetail(
            Fixtures.signedIn,
            application: Fixtures.registered(
                name: Fixtures.hostileName, url: "javascript:alert(1)",
                callbackURLs: ["<script>", Fixtures.attributeInjection]),
            newSecret: nil, notice: "<script>")

        #expect(!html.contains("<script"))
        #expect(!html.contains("href=\"javascript:"))
        #expect(!html.contains("onmouseover=\""))
        #expect(html.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"))
        #expect(Markup.title(of: html) == "&lt;script&gt;alert(1)&lt;/script&gt; · Latchkey")
    }
}
