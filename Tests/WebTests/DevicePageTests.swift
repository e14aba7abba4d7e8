import LatchkeyWeb
import Testing

@Suite struct DevicePageTests {
    @Test func device_formPostsUserCodeWithTheToken() throws {
        let html = Pages.device(Fixtures.signedIn, userCode: "", error: nil, notice: nil)
        let form = try #require(Markup.forms(in: html).first)

        #expect(form.hasPrefix("<form method=\"post\" action=\"/device\">"))
        #expect(Markup.fieldNames(in: form) == ["user_code"])
        #expect(Markup.hiddenFields(in: form).map(\.name) == ["csrf_token"])
        #expect(html.contains("<label for=\"user_code\">Code</label>"))
        #expect(html.contains("aria-describedby=\"user_code-hint\""))
        #expect(!html.contains("role=\"alert\""))
    }

    @Test func device_prefilledCode_isShownEscaped() {
        let html = Pages.device(
            Fixtures.signedIn, userCode: "WDJB\"MJHT", error: "That code has expired.",
            notice: nil)

        #expect(html.contains("value=\"WDJB&quot;MJHT\""))
        #expect(html.contains("role=\"alert\"><p>That code has expired.</p>"))
    }

    @Test func device_notice_isAnnouncedAsStatus() {
        let html = Pages.device(
            Fixtures.signedIn, userCode: "", error: nil, notice: "Your device is connected.")

        #expect(html.contains("role=\"status\"><p>Your device is connected.</p>"))
    }
}
