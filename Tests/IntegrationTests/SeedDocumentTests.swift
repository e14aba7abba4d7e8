import Foundation
import TestThreads
import Testing

/// Every request of the PhoneGap Build OAuth document, exactly as written there,
/// against the real server over real HTTP.
@Suite(.onBlockingThreads, .timeLimit(.minutes(2)))
struct SeedDocumentTests {
    @Test func webApplicationFlow_allow_codeTokenAndProfile() async throws {
        let world = try await SeedWorld.start()

        // GET /authorize?client_id=abcdef, by a visitor: sent to sign in first.
        let visitor = HTTPClient(cookies: CookieJar())
        let first = try await visitor.get(world.url("/authorize?client_id=\(world.clientID)"))
        #expect(first.status == 302)
        #expect(
            first.headers["Location"]
                == "/login?return_to=%2Fauthorize%3Fclient_id%3D\(world.clientID)")

        // Signing in brings the user back to the same request, which shows the consent page.
        let loginPage = try await visitor.get(try #require(first.location))
        let signedIn = try await visitor.postForm(
            world.url("/login"),
            hiddenFields(in: loginPage.text) + [
                ("login", SeedWorld.email), ("password", SeedWorld.password),
            ])
        #expect(signedIn.status == 303)
        #expect(signedIn.headers["Location"] == "/authorize?client_id=\(world.clientID)")
        let consent = try await visitor.get(try #require(signedIn.location))
        #expect(consent.status == 200)
        #expect(consent.text.contains("Goat Simulator"))
        #expect(consent.text.contains(SeedWorld.mainURL))

        // Allow: redirected to the Callback Url with a code.
        let allowed = try await visitor.postForm(
            world.url("/authorize/decision"),
            hiddenFields(in: consent.text) + [("decision", "allow")])
        #expect(allowed.status == 302)
        let callback = try #require(allowed.location)
        #expect(callback.absoluteString.hasPrefix(SeedWorld.callback + "?code=lkc_"))
        let code = try #require(callback.queryValue("code"))

        // POST /authorize/token?client_id=abcdef&client_secret=123456&code=a1b2c3
        let tokenResponse = try PlainSocketClient.send(
            method: "POST",
            url: world.url(
                "/authorize/token?client_id=\(world.clientID)"
                    + "&client_secret=\(world.clientSecret)&code=\(code)"
            ))
        #expect(tokenResponse.status == 200)
        #expect(tokenResponse.headers["Cache-Control"] == "no-store")
        #expect(tokenResponse.json?["expires_in"] == nil)
        let token = try #require(tokenResponse.json?["access_token"] as? String)
        #expect(token.hasPrefix("lka_"))

        // GET /api/v1/me?access_token=xyz123
        let me = try await world.me(token: token)
        #expect(me.status == 200)
        #expect(me.json?["id"] as? Int == 1)
        #expect(me.json?["username"] as? String == "steve")
        #expect(me.json?["email"] as? String == SeedWorld.email)
        #expect(me.json?["link"] as? String == "/api/v1/me")
        let created = try #require(me.json?["created_at"] as? String)
        #expect(created.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil)
        #expect(me.json?["updated_at"] is String)
    }

    @Test func webApplicationFlow_deny_goesToMainURLWithoutCode() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()

        let consent = try await browser.get(world.url("/authorize?client_id=\(world.clientID)"))
        #expect(consent.status == 200)
        let denied = try await browser.postForm(
            world.url("/authorize/decision"),
            hiddenFields(in: consent.text) + [("decision", "deny")])

        #expect(denied.status == 302)
        #expect(denied.headers["Location"] == SeedWorld.mainURL)
    }

    @Test func webApplicationFlow_state_isReturnedWithTheCode() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let consent = try await browser.get(
            world.url("/authorize?client_id=\(world.clientID)&state=xyz%20123"))
        let allowed = try await browser.postForm(
            world.url("/authorize/decision"),
            hiddenFields(in: consent.text) + [("decision", "allow")])
        let callback = try #require(allowed.location)
        #expect(callback.queryValue("state") == "xyz 123")
    }

    @Test func nonWebApplicationFlow_basicAuth_tokenAndProfile() async throws {
        let world = try await SeedWorld.start()

        // curl -u steve@goat-simulator.com -X POST \
        //     .../authorize?client_id=abcdef&client_secret=123456
        let response = try PlainSocketClient.send(
            method: "POST",
            url: world.url(
                "/authorize?client_id=\(world.clientID)&client_secret=\(world.clientSecret)"),
            headers: ["Authorization": basic(SeedWorld.email, SeedWorld.password)])
        #expect(response.status == 200)
        #expect(response.headers["Cache-Control"] == "no-store")
        let token = try #require(response.json?["access_token"] as? String)

        let me = try await world.me(token: token)
        #expect(me.status == 200)
        #expect(me.json?["username"] as? String == "steve")

        // The grant shows on the account page like any other.
        let browser = try await world.signIn()
        let account = try await browser.get(world.url("/account/applications"))
        #expect(account.text.contains("Goat Simulator"))
    }

    @Test func api_bearerHeaderAndAlias_answerTheSameProfile() async throws {
        let world = try await SeedWorld.start()
        let token = try await world.nonWebToken()

        for path in ["/api/v1/me", "/api/v1"] {
            let response = try await world.http.get(
                world.url(path), headers: ["Authorization": "Bearer \(token)"])
            #expect(response.status == 200)
            #expect(response.json?["username"] as? String == "steve")
        }
    }

    @Test func rememberedConsent_secondAuthorization_skipsThePage() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        _ = try await world.authorize(browser: browser)

        let again = try await browser.get(world.url("/authorize?client_id=\(world.clientID)"))
        #expect(again.status == 302)
        #expect(again.location?.absoluteString.hasPrefix(SeedWorld.callback + "?code=lkc_") == true)
    }
}
