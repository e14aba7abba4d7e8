import Foundation
import TestThreads
import Testing

/// Hostile and malformed input on the browser-facing endpoints: each gets a clear
/// answer in the page's format, and the server keeps serving.
@Suite(.onBlockingThreads, .timeLimit(.minutes(2)))
struct BadInputTests {
    @Test func authorize_afterLogin_keepsEveryOriginalParameter() async throws {
        let world = try await SeedWorld.start()
        let query =
            "client_id=\(world.clientID)&state=a%20b%26c&scope=profile&redirect_uri="
            + "https%3A%2F%2Fgoat.example%2Foauth%2Fcallback"
        let visitor = HTTPClient(cookies: CookieJar())
        let first = try await visitor.get(world.url("/authorize?" + query))
        let loginPage = try await visitor.get(try #require(first.location))
        let signedIn = try await visitor.postForm(
            world.url("/login"),
            hiddenFields(in: loginPage.text) + [
                ("login", SeedWorld.username), ("password", SeedWorld.password),
            ])
        #expect(signedIn.headers["Location"] == "/authorize?" + query)

        let consent = try await visitor.get(try #require(signedIn.location))
        let allowed = try await visitor.postForm(
            world.url("/authorize/decision"),
            hiddenFields(in: consent.text) + [("decision", "allow")])
        let callback = try #require(allowed.location)
        #expect(callback.queryValue("state") == "a b&c")
        let code = try #require(callback.queryValue("code"))

        // RFC 6749 §4.1.3: a redirect_uri sent with the authorization must be repeated.
        let without = try world.post(
            "/authorize/token?client_id=\(world.clientID)"
                + "&client_secret=\(world.clientSecret)&code=\(code)"
        )
        #expect(without.status == 400)
        #expect(without.json?["error"] as? String == "invalid_grant")
        let code2 = try await world.authorize(browser: visitor, query: query)
        let with = try world.post(
            "/authorize/token?client_id=\(world.clientID)&client_secret=\(world.clientSecret)"
                + "&code=\(code2)&redirect_uri=https%3A%2F%2Fgoat.example%2Foauth%2Fcallback")
        let token = try #require(with.json?["access_token"] as? String)
        let me = try await world.me(token: token)
        #expect(me.json?["email"] == nil)
    }

    @Test(arguments: [
        ("client_id=CLIENT&state=%zz", 400),
        ("client_id=%C3%28", 400),
        ("client_id=CLIENT&client_id=CLIENT", 400),
        (
            "client_id=CLIENT"
                + "&redirect_uri=https%3A%2F%2Fgoat.example%2Foauth%2Fcallback%2F..%2Fevil",
            400
        ),
        ("client_id=CLIENT&redirect_uri=javascript%3Aalert(1)", 400),
        ("client_id=" + String(repeating: "x", count: 9000), 414),
    ])
    func authorize_badParameters_areAnHTMLPage(query: String, status: Int) async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let filled = query.replacingOccurrences(of: "CLIENT", with: world.clientID)
        // Malformed escapes cannot travel in a Foundation URL.
        let response =
            filled.contains("%zz") || filled.contains("%C3%28")
            ? try PlainSocketClient.send(
                method: "GET", url: world.url("/healthz"), headers: [:],
                rawTarget: "/authorize?" + filled)
            : try await browser.get(world.url("/authorize?" + filled))
        #expect(response.status == status)
        #expect(response.headers["Content-Type"]?.hasPrefix("text/html") == true)
        #expect(response.headers["Location"] == nil)
        #expect(try await world.http.get(world.url("/healthz")).status == 200)
    }

    @Test func authorize_unknownScopeAfterTrust_isRedirectedAsInvalidScope() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let response = try await browser.get(
            world.url("/authorize?client_id=\(world.clientID)&scope=admin&state=s"))
        #expect(response.status == 302)
        let location = try #require(response.location)
        #expect(location.absoluteString.hasPrefix(SeedWorld.callback + "?error=invalid_scope"))
        #expect(location.queryValue("state") == "s")
    }

    @Test func decision_withoutAllowOrDeny_is400AndIssuesNoCode() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let consent = try await browser.get(world.url("/authorize?client_id=\(world.clientID)"))
        for decision in [[], ["maybe"], ["allow", "allow"]] {
            let fields = hiddenFields(in: consent.text) + decision.map { ("decision", $0) }
            let response = try await browser.postForm(world.url("/authorize/decision"), fields)
            #expect(response.status == 400)
            #expect(response.headers["Location"] == nil)
        }
    }

    @Test func pages_hugeBodyOrTooManyFields_areRefused() async throws {
        let world = try await SeedWorld.start()
        let browser = HTTPClient(cookies: CookieJar())
        let page = try await browser.get(world.url("/login"))

        // A plain socket: URLSession may send `Expect: 100-continue` for a large body and
        // report the early 413 as a failed upload instead of a response.
        let huge = try PlainSocketClient.send(
            method: "POST", url: world.url("/login"),
            headers: [
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": browser.cookies?.headerValue ?? "",
            ],
            body: form([
                ("csrf_token", csrfToken(in: page.text)),
                ("password", String(repeating: "p", count: 10 << 20)),
            ]))
        #expect(huge.status == 413)
        #expect(huge.headers["Content-Type"]?.hasPrefix("text/html") == true)

        let many = try await browser.postForm(
            world.url("/login"), (0..<200).map { ("field\($0)", "x") })
        #expect(many.status == 400)

        let wrongMethod = try await browser.send(method: "DELETE", url: world.url("/login"))
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.headers["Allow"] == "GET, POST")
        #expect(try await world.http.get(world.url("/healthz")).status == 200)
    }

    @Test func headersOver16KiB_are431() async throws {
        let world = try await SeedWorld.start()
        let response = try PlainSocketClient.send(
            method: "GET", url: world.url("/healthz"),
            headers: ["X-Padding": String(repeating: "a", count: 20_000)])
        #expect(response.status == 431)
        #expect(try await world.http.get(world.url("/healthz")).status == 200)
    }
}
