import Foundation
import TestThreads
import Testing

/// The device flow with a real browser (headless Chromium over WebDriver) on the user's
/// side: sign in from the device page, type the code, allow, and revoke it later.
@Suite(.onBlockingThreads, .serialized, .timeLimit(.minutes(3)))
struct DeviceBrowserFlowTests {
    @Test(.needsBrowser) func typeCodeAllowAndRevoke_inChromium() async throws {
        let world = try await SeedWorld.start()
        let started = try #require(try world.deviceAuthorization().json)
        let deviceCode = try #require(started["device_code"] as? String)
        let userCode = try #require(started["user_code"] as? String)
        let verificationURI = try #require(started["verification_uri"] as? String)
        let completeURI = try #require(started["verification_uri_complete"] as? String)

        try await WebDriver.withSession { browser in
            // The device page sends a visitor to sign in, and back afterwards.
            try await browser.navigate(to: URL(string: verificationURI)!)
            _ = try await browser.waitForURL { $0.path == "/login" }
            try await browser.findElement(css: "input[name=login]").sendKeys(SeedWorld.username)
            try await browser.findElement(css: "input[name=password]").sendKeys(
                SeedWorld.password)
            try await browser.findElement(css: "form button[type=submit]").click()
            _ = try await browser.waitForURL { $0.path == "/device" }

            // The code as a person might type it: lower case, no hyphen.
            let typed = userCode.lowercased().replacingOccurrences(of: "-", with: "")
            try await browser.findElement(css: "input[name=user_code]").sendKeys(typed)
            try await browser.findElement(css: "main form button[type=submit]").click()
            let consent = try await browser.pageSource
            #expect(consent.contains("Goat Simulator"))
            #expect(consent.contains("profile"))
            try await browser.findElement(css: "button[name=decision][value=allow]").click()
            #expect(try await browser.pageSource.contains("Your device is connected."))

            // The device's next poll gets its tokens.
            let issued = try world.pollDevice(deviceCode)
            #expect(issued.status == 200)
            let token = try #require(issued.json?["access_token"] as? String)
            #expect(try await world.me(token: token).status == 200)

            // The complete URI fills the code in; it is spent now, and the page says so.
            try await browser.navigate(to: URL(string: completeURI)!)
            let field = try await browser.findElement(css: "input[name=user_code]")
            #expect(try await field.property("value") == userCode)
            try await browser.findElement(css: "main form button[type=submit]").click()
            #expect(try await browser.pageSource.contains("That code was already used."))

            // The account page lists the application; Revoke ends the device's token.
            try await browser.navigate(to: URL(string: world.base + "/account/applications")!)
            #expect(try await browser.pageSource.contains("Goat Simulator"))
            try await browser.findElement(css: "form[action$='/revoke'] button").click()
            #expect(try await !browser.pageSource.contains("Goat Simulator"))
            #expect(try await world.me(token: token).status == 401)
        }
    }
}
