import LatchkeyWeb
import Testing

@Suite struct AuthenticationPagesTests {
    @Test func login_formHasTheSpecFieldNames() throws {
        let html = Pages.login(Fixtures.visitor, login: "", error: nil, returnTo: nil)
        let form = try #require(Markup.forms(in: html).first)

        #expect(Markup.tags("form", in: form)[0].contains("action=\"/login\""))
        #expect(Markup.fieldNames(in: form) == ["login", "password"])
        #expect(Markup.hiddenFields(in: form).map(\.name) == ["csrf_token"])
        #expect(html.contains("<label for=\"login\">Email or username</label>"))
        #expect(html.contains("<label for=\"password\">Password</label>"))
        #expect(html.contains("type=\"password\""))
        // Phone keyboards must not capitalize or "correct" a username.
        #expect(html.contains("autocomplete=\"username\" autocapitalize=\"none\""))
        #expect(html.contains("<button type=\"submit\" class=\"button primary\">Sign in</button>"))
    }

    @Test func login_withReturnTo_carriesItHiddenAndEscaped() throws {
        let returnTo = "/authorize?client_id=a&state=\"x\""

        let html = Pages.login(Fixtures.visitor, login: "", error: nil, returnTo: returnTo)

        let fields = Markup.hiddenFields(in: try #require(Markup.forms(in: html).first))
        try #require(fields.map(\.name) == ["csrf_token", "return_to"])
        #expect(fields[1].value == "/authorize?client_id=a&amp;state=&quot;x&quot;")
    }

    @Test func login_withReturnTo_keepsItOnTheSignUpLink() {
        let html = Pages.login(
            Fixtures.visitor, login: "", error: nil, returnTo: "/authorize?client_id=a&b=c d")

        #expect(
            html.contains("href=\"/signup?return_to=%2Fauthorize%3Fclient_id%3Da%26b%3Dc%20d\""))
    }

    @Test func login_withoutReturnTo_hasNoReturnToField() {
        let html = Pages.login(Fixtures.visitor, login: "", error: nil, returnTo: nil)

        #expect(!html.contains("return_to"))
    }

    @Test func login_afterError_keepsLoginShowsAlertAndNeverEchoesPassword() {
        let html = Pages.login(
            Fixtures.visitor, login: "steve\"><b>", error: "Wrong email, username or password.",
            returnTo: nil)

        #expect(html.contains("value=\"steve&quot;&gt;&lt;b&gt;\""))
        #expect(html.contains("role=\"alert\"><p>Wrong email, username or password.</p>"))
        let password = Markup.tags("input", in: html).first {
            Markup.attribute("name", of: $0) == "password"
        }
        #expect(password.map { Markup.attribute("value", of: $0) } == .some(nil))
    }

    @Test func login_withoutError_hasNoAlert() {
        let html = Pages.login(Fixtures.visitor, login: "", error: nil, returnTo: nil)

        #expect(!html.contains("role=\"alert\""))
    }

    @Test func login_signupDisabled_hasNoSignUpLink() {
        let html = Pages.login(Fixtures.visitorWithoutSignup, login: "", error: nil, returnTo: nil)

        #expect(!html.contains("/signup"))
        #expect(!html.contains("Sign up"))
    }

    @Test func login_signupEnabled_linksToSignUp() {
        let html = Pages.login(Fixtures.visitor, login: "", error: nil, returnTo: nil)
        let main = html.components(separatedBy: "<main")[1]

        #expect(main.contains("<a href=\"/signup\">"))
    }

    @Test func signup_formHasTheSpecFieldNames() throws {
        let html = Pages.signup(
            Fixtures.visitor, username: "", email: "", errors: [], returnTo: nil)
        let form = try #require(Markup.forms(in: html).first)

        #expect(Markup.tags("form", in: form)[0].contains("action=\"/signup\""))
        #expect(Markup.fieldNames(in: form) == ["username", "email", "password", "name"])
        #expect(html.contains("<label for=\"name\">Name (optional)</label>"))
        #expect(!html.contains("role=\"alert\""))
    }

    @Test func signup_nameField_isOptionalAndTheOthersRequired() {
        let html = Pages.signup(
            Fixtures.visitor, username: "", email: "", errors: [], returnTo: nil)
        let inputs = Markup.tags("input", in: html).filter {
            Markup.attribute("type", of: $0) != "hidden"
        }

        let required = inputs.filter { $0.hasSuffix(" required>") }
            .compactMap { Markup.attribute("name", of: $0) }
        #expect(required == ["username", "email", "password"])
    }

    @Test func signup_afterErrors_listsThemAndKeepsWhatWasTyped() {
        let html = Pages.signup(
            Fixtures.visitor, username: "st<eve", email: "steve@example.com", name: "Steve & Co",
            errors: ["That username is taken.", "Password is too short."],
            returnTo: "/oauth/authorize?x=1")

        #expect(html.contains("role=\"alert\""))
        #expect(html.contains("<li>That username is taken.</li><li>Password is too short.</li>"))
        #expect(html.contains("value=\"st&lt;eve\""))
        #expect(html.contains("value=\"steve@example.com\""))
        #expect(html.contains("value=\"Steve &amp; Co\""))
        #expect(
            Markup.hiddenFields(in: html).map(\.name) == ["csrf_token", "return_to"])
        #expect(html.contains("href=\"/login?return_to=%2Foauth%2Fauthorize%3Fx%3D1\""))
    }

    @Test func logout_isAConfirmationPostingTheToken() throws {
        let html = Pages.logout(Fixtures.signedIn)
        let form = try #require(Markup.forms(in: html).first)

        #expect(Markup.tags("form", in: form)[0].contains("action=\"/logout\""))
        #expect(form.contains("<button type=\"submit\" class=\"button primary\">Sign out</button>"))
        #expect(html.contains("You are signed in as <strong>steve</strong>."))
    }

    @Test func logout_visitor_saysNotSignedIn() {
        let html = Pages.logout(Fixtures.visitor)

        #expect(html.contains("You are not signed in."))
        #expect(Markup.forms(in: html).count == 1)
    }
}
