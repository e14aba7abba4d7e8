import Foundation
import TestThreads
import Testing

/// The whole story in a real browser (headless Chromium over WebDriver): sign up,
/// register an application, authorize it, exchange the code, see it on the account
/// page, revoke it, and see its token refused.
@Suite(.onBlockingThreads, .serialized, .timeLimit(.minutes(3)))
struct BrowserFlowTests {
    @Test(.needsBrowser) func signUpRegisterAuthorizeRevoke_inChromium() async throws {
        let server = try TestServer()
        try await server.start()
        let base = server.baseURL.absoluteString
        // Nothing listens on the callback's port: the browser stops there, and its
        // address bar still shows the code.
        let callback = "http://127.0.0.1:\(try FreePort.find())/callback"

        try await WebDriver.withSession { browser in
            // Sign up.
            try await browser.navigate(to: URL(string: base + "/signup")!)
            try await browser.findElement(css: "input[name=username]").sendKeys("alice")
            try await browser.findElement(css: "input[name=email]").sendKeys("alice@example.com")
            try await browser.findElement(css: "input[name=password]").sendKeys("alice-password-1")
            try await browser.findElement(css: "form button[type=submit]").click()
            #expect(try await browser.pageSource.contains("alice"))

            // Register an application.
            try await browser.navigate(to: URL(string: base + "/developer/applications/new")!)
            try await browser.findElement(css: "input[name=name]").sendKeys("Alice's Goat App")
            try await browser.findElement(css: "input[name=url]").sendKeys("https://goat.example")
            try await browser.findElement(css: "textarea[name=callback_urls]").sendKeys(callback)
            try await browser.findElement(css: "form button[type=submit]").click()
            let detail = try await browser.pageSource
            let clientID = String(try #require(detail.firstMatch(of: /[0-9a-f]{32}/)).output)
            let secret = String(try #require(detail.firstMatch(of: /lks_[A-Za-z0-9_-]{49}/)).output)

            // Authorize it: the consent page names it; Allow lands on the callback.
            try await browser.navigate(to: URL(string: base + "/authorize?client_id=\(clientID)")!)
            let consent = try await browser.pageSource
            #expect(
                consent.contains("Alice&#39;s Goat App") || consent.contains("Alice's Goat App"))
            try await browser.findElement(css: "button[name=decision][value=allow]").click()
            let landed = try await browser.waitForURL { $0.absoluteString.hasPrefix(callback) }
            let code = try #require(landed.queryValue("code"))

            // The application trades the code for a token and calls the API.
            let exchange = try PlainSocketClient.send(
                method: "POST",
                url: URL(
                    string:
                        "\(base)/authorize/token?client_id=\(clientID)"
                        + "&client_secret=\(secret)&code=\(code)"
                )!)
            #expect(exchange.status == 200)
            let token = try #require(exchange.json?["access_token"] as? String)
            let me = URL(string: "\(base)/api/v1/me?access_token=\(token)")!
            let profile = try await HTTPClient().get(me)
            #expect(profile.json?["username"] as? String == "alice")

            // The account page lists it; Revoke ends the token.
            try await browser.navigate(to: URL(string: base + "/account/applications")!)
            #expect(try await browser.pageSource.contains("Goat App"))
            try await browser.findElement(css: "form[action$='/revoke'] button").click()
            #expect(try await !browser.pageSource.contains("Goat App"))
            #expect(try await HTTPClient().get(me).status == 401)
        }
    }
}
