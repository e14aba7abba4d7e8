import Foundation
import TestThreads
import Testing

/// The web pages over real HTTP: CSRF, escaping, cookies, headers, revoke and delete.
@Suite(.onBlockingThreads, .timeLimit(.minutes(2)))
struct PagesTests {
    @Test func everyPage_sendsTheSecurityHeaders() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let paths = [
            "/", "/login", "/signup", "/account/applications", "/developer/applications",
            "/developer/applications/new", "/authorize?client_id=\(world.clientID)",
            "/authorize?client_id=unknown", "/no/such/page", "/api/v1/me", "/healthz",
        ]
        for path in paths {
            let response = try await browser.get(world.url(path))
            #expect(response.headers["X-Frame-Options"] == "DENY", "\(path)")
            #expect(response.headers["Referrer-Policy"] == "no-referrer", "\(path)")
            let policy = response.headers["Content-Security-Policy"] ?? ""
            #expect(policy.contains("frame-ancestors 'none'"), "\(path)")
            #expect(policy.contains("object-src 'none'"), "\(path)")
            #expect(policy.contains("script-src 'none'"), "\(path)")
        }
    }

    @Test func sessionCookie_isHttpOnlyAndSameSiteLax() async throws {
        let world = try await SeedWorld.start()
        let browser = HTTPClient(cookies: CookieJar())
        let page = try await browser.get(world.url("/login"))
        #expect(page.headers["Set-Cookie"]?.contains("HttpOnly; SameSite=Lax") == true)
        let response = try await browser.postForm(
            world.url("/login"),
            [
                ("csrf_token", csrfToken(in: page.text)), ("login", "steve"),
                ("password", SeedWorld.password),
            ])
        let cookie = try #require(response.headers["Set-Cookie"])
        #expect(cookie.hasPrefix("latchkey_session=lkx_"))
        #expect(cookie.contains("; HttpOnly"))
        #expect(cookie.contains("; SameSite=Lax"))
        #expect(!cookie.contains("Secure"))
    }

    @Test func unknownClient_isAnHTMLPageWithStatus400_neverARedirect() async throws {
        let world = try await SeedWorld.start()
        for query in [
            "client_id=unknown", "", "client_id=",
            "client_id=CLIENT&redirect_uri=https%3A%2F%2Fevil.example%2Fcb",
        ] {
            let filled = query.replacingOccurrences(of: "CLIENT", with: world.clientID)
            let response = try await world.http.get(world.url("/authorize?" + filled))
            #expect(response.status == 400, "\(query)")
            #expect(response.headers["Content-Type"]?.hasPrefix("text/html") == true)
            #expect(response.headers["Location"] == nil)
        }
    }

    @Test func login_withoutOrWithWrongCSRF_isRefusedAndStartsNoSession() async throws {
        let world = try await SeedWorld.start()
        let browser = HTTPClient(cookies: CookieJar())
        _ = try await browser.get(world.url("/login"))
        for token in [nil, "", "forged-token-forged-token-forged-token"] as [String?] {
            var fields = [("login", "steve"), ("password", SeedWorld.password)]
            if let token { fields.append(("csrf_token", token)) }
            let response = try await browser.postForm(world.url("/login"), fields)
            #expect(response.status == 403)
            #expect(browser.cookies?["latchkey_session"] == nil)
        }
    }

    @Test func wrongPassword_rendersTheFormAgainWithAMessage() async throws {
        let world = try await SeedWorld.start()
        let browser = HTTPClient(cookies: CookieJar())
        let page = try await browser.get(world.url("/login"))
        let response = try await browser.postForm(
            world.url("/login"),
            [("csrf_token", csrfToken(in: page.text)), ("login", "steve"), ("password", "nope")])
        #expect(response.status == 400)
        #expect(response.text.contains("The username or password is wrong."))
        #expect(browser.cookies?["latchkey_session"] == nil)
    }

    @Test func loginReturnAddress_outsideTheSite_isIgnored() async throws {
        let world = try await SeedWorld.start()
        let browser = HTTPClient(cookies: CookieJar())
        let page = try await browser.get(world.url("/login"))
        let response = try await browser.postForm(
            world.url("/login"),
            [
                ("csrf_token", csrfToken(in: page.text)), ("login", "steve"),
                ("password", SeedWorld.password), ("return_to", "//evil.example/"),
            ])
        #expect(response.status == 303)
        #expect(response.headers["Location"] == "/")
    }

    @Test func consentDecision_withWrongCSRF_issuesNoCode() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let consent = try await browser.get(world.url("/authorize?client_id=\(world.clientID)"))
        var fields = hiddenFields(in: consent.text).filter { $0.0 != "csrf_token" }
        fields += [("csrf_token", "wrong"), ("decision", "allow")]
        let response = try await browser.postForm(world.url("/authorize/decision"), fields)
        #expect(response.status == 403)
        #expect(response.headers["Location"] == nil)
    }

    @Test func clientNamedScript_isShownEscapedEverywhere() async throws {
        let world = try await SeedWorld.start()
        let name = "<script>alert(1)</script>"
        let (clientID, _) = try world.server.createClient(
            name: name, url: "https://x.example/?a=\"'><b>", callbacks: ["https://x.example/cb"],
            extraArguments: ["--owner", "steve"])
        let browser = try await world.signIn()

        let consent = try await browser.get(
            world.url("/authorize?client_id=\(clientID)&state=%3Cb%3E"))
        #expect(consent.status == 200)
        _ = try await world.authorize(
            browser: browser, query: "client_id=\(clientID)", callback: "https://x.example/cb")
        let account = try await browser.get(world.url("/account/applications"))
        let developer = try await browser.get(world.url("/developer/applications"))
        let detail = try await browser.get(world.url("/developer/applications/\(clientID)"))
        for page in [consent, account, developer, detail] {
            #expect(!page.text.contains("<script"))
            #expect(!page.text.contains("<b>"))
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }

    @Test func revoke_endsEveryTokenOfThatApplication() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let webToken = try await world.exchange(code: try await world.authorize(browser: browser))
        let nonWebToken = try await world.nonWebToken()

        // Without the CSRF token nothing changes.
        let forged = try await browser.postForm(
            world.url("/account/applications/\(world.clientID)/revoke"), [])
        #expect(forged.status == 403)
        #expect(try await world.me(token: webToken).status == 200)

        let page = try await browser.get(world.url("/account/applications"))
        #expect(page.text.contains("Goat Simulator"))
        let revoked = try await browser.postForm(
            world.url("/account/applications/\(world.clientID)/revoke"),
            [("csrf_token", csrfToken(in: page.text))])
        #expect(revoked.status == 303)
        #expect(try await world.me(token: webToken).status == 401)
        #expect(try await world.me(token: nonWebToken).status == 401)
        let after = try await browser.get(world.url("/account/applications"))
        #expect(!after.text.contains("Goat Simulator"))
    }

    @Test func developerPages_registerShowSecretOnceRotateEditDelete() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()

        let form = try await browser.get(world.url("/developer/applications/new"))
        let invalid = try await browser.postForm(
            world.url("/developer/applications"),
            [
                ("csrf_token", csrfToken(in: form.text)), ("name", ""), ("url", "not a url"),
                ("callback_urls", ""),
            ])
        #expect(invalid.status == 400)

        let created = try await browser.postForm(
            world.url("/developer/applications"),
            [
                ("csrf_token", csrfToken(in: form.text)), ("name", "My App"),
                ("url", "https://my.example"),
                ("callback_urls", "https://my.example/cb\r\nhttps://my.example/cb2\r\n"),
            ])
        #expect(created.status == 200)
        let secret = try #require(created.text.firstMatch(of: /lks_[A-Za-z0-9_-]{49}/)).output
        let clientID = try #require(
            created.text.firstMatch(of: /\/developer\/applications\/([0-9a-f]{32})/)
        ).output.1

        let shown = try await browser.get(world.url("/developer/applications/\(clientID)"))
        #expect(shown.status == 200)
        #expect(!shown.text.contains(String(secret)))
        #expect(shown.text.contains("https://my.example/cb2"))

        // The new secret works for the non-web flow; a rotated one stops working.
        let login = basic(SeedWorld.email, SeedWorld.password)
        let before = try PlainSocketClient.send(
            method: "POST",
            url: world.url("/authorize?client_id=\(clientID)&client_secret=\(secret)"),
            headers: ["Authorization": login])
        #expect(before.status == 200)
        let token = try #require(before.json?["access_token"] as? String)
        let rotated = try await browser.postForm(
            world.url("/developer/applications/\(clientID)/secret"),
            [("csrf_token", csrfToken(in: shown.text))])
        let newSecret = try #require(rotated.text.firstMatch(of: /lks_[A-Za-z0-9_-]{49}/)).output
        #expect(newSecret != secret)
        let old = try PlainSocketClient.send(
            method: "POST",
            url: world.url("/authorize?client_id=\(clientID)&client_secret=\(secret)"),
            headers: ["Authorization": login])
        #expect(old.status == 401)

        let edited = try await browser.postForm(
            world.url("/developer/applications/\(clientID)"),
            [
                ("csrf_token", csrfToken(in: shown.text)), ("name", "Renamed"),
                ("url", "https://my.example"), ("callback_urls", "https://my.example/cb"),
            ])
        #expect(edited.status == 303)
        let list = try await browser.get(world.url("/developer/applications"))
        #expect(list.text.contains("Renamed"))

        let deleted = try await browser.postForm(
            world.url("/developer/applications/\(clientID)/delete"),
            [("csrf_token", csrfToken(in: shown.text))])
        #expect(deleted.status == 303)
        #expect(try await world.me(token: token).status == 401)
        let gone = try await browser.get(world.url("/developer/applications/\(clientID)"))
        #expect(gone.status == 404)
    }

    @Test func developerPage_grantTypes_decideWhatTheClientMayDo() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let form = try await browser.get(
            world.url("/developer/applications/\(world.clientID)/edit"))
        #expect(form.text.contains("name=\"grant_types\" value=\"password\" checked"))
        let fields = [
            ("csrf_token", csrfToken(in: form.text)), ("name", "Goat Simulator"),
            ("url", SeedWorld.mainURL), ("callback_urls", SeedWorld.callback),
            ("grant_types_present", "1"),
        ]

        let none = try await browser.postForm(
            world.url("/developer/applications/\(world.clientID)"), fields)
        #expect(none.status == 400)
        #expect(none.text.contains("Choose at least one thing the application may do."))

        let webOnly = try await browser.postForm(
            world.url("/developer/applications/\(world.clientID)"),
            fields + [("grant_types", "authorization_code")])
        #expect(webOnly.status == 303)
        let nonWeb = try world.post(
            "/authorize?client_id=\(world.clientID)&client_secret=\(world.clientSecret)",
            headers: ["Authorization": basic(SeedWorld.email, SeedWorld.password)])
        #expect(nonWeb.status == 400)
        #expect(nonWeb.json?["error"] as? String == "unauthorized_client")
        _ = try await world.authorize(browser: browser)
    }

    @Test func anotherUsersApplication_is404() async throws {
        let world = try await SeedWorld.start()
        try world.server.createUser(
            username: "eve", email: "eve@example.com", password: "eve-password-1")
        let eve = try await world.signIn(login: "eve", password: "eve-password-1")
        let page = try await eve.get(world.url("/developer/applications/\(world.clientID)"))
        #expect(page.status == 404)
        let own = try await eve.get(world.url("/logout"))
        let delete = try await eve.postForm(
            world.url("/developer/applications/\(world.clientID)/delete"),
            [("csrf_token", csrfToken(in: own.text))])
        #expect(delete.status == 404)
        #expect(try await world.nonWebToken().hasPrefix("lka_"))
    }

    @Test func signupTurnedOff_is404() async throws {
        let world = try await SeedWorld.start(extraArguments: ["--allow-signup", "false"])
        #expect(try await world.http.get(world.url("/signup")).status == 404)
        let post = try await world.http.postForm(world.url("/signup"), [("username", "x")])
        #expect(post.status == 404)
    }

    @Test func signup_createsAccountAndSignsIn() async throws {
        let world = try await SeedWorld.start()
        let browser = HTTPClient(cookies: CookieJar())
        let page = try await browser.get(world.url("/signup"))
        let taken = try await browser.postForm(
            world.url("/signup"),
            [
                ("csrf_token", csrfToken(in: page.text)), ("username", "STEVE"),
                ("email", "new@example.com"), ("password", "long enough"),
            ])
        #expect(taken.status == 400)
        #expect(taken.text.contains("That username is taken."))

        let created = try await browser.postForm(
            world.url("/signup"),
            [
                ("csrf_token", csrfToken(in: page.text)), ("username", "newbie"),
                ("email", "new@example.com"), ("password", "long enough"),
            ])
        #expect(created.status == 303)
        let account = try await browser.get(world.url("/account/applications"))
        #expect(account.status == 200)
        #expect(account.text.contains("newbie"))
    }

    @Test func logout_endsTheSession() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let page = try await browser.get(world.url("/logout"))
        let response = try await browser.postForm(
            world.url("/logout"), [("csrf_token", csrfToken(in: page.text))])
        #expect(response.status == 303)
        let account = try await browser.get(world.url("/account/applications"))
        #expect(account.status == 302)
    }

    @Test func stylesheet_isSmallCSS() async throws {
        let world = try await SeedWorld.start()
        let response = try await world.http.get(world.url("/style.css"))
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"]?.hasPrefix("text/css") == true)
        #expect(response.body.count < 64 * 1024)
    }
}
