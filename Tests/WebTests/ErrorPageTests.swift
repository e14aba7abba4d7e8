import LatchkeyWeb
import Testing

@Suite struct ErrorPageTests {
    @Test func error_showsStatusTitleAndMessage() {
        let html = Pages.error(
            Fixtures.visitor, status: 400, title: "Unknown application",
            message: "No application is registered with that client ID.")

        #expect(html.contains("<p class=\"status\">Error 400</p>"))
        #expect(html.contains("<h1>Unknown application</h1>"))
        #expect(html.contains("<p>No application is registered with that client ID.</p>"))
        #expect(Markup.title(of: html) == "Unknown application · Latchkey")
        #expect(html.contains("<a href=\"/\">Go to the home page</a>"))
    }

    @Test func error_withoutContext_offersOnlySignIn() {
        let html = Pages.error(nil, status: 404, title: "Not found", message: "Nothing here.")
        let nav = Markup.navigation(of: html)

        #expect(nav.contains("<a href=\"/login\">Sign in</a>"))
        #expect(!nav.contains("Signed in as"))
        #expect(!nav.contains("/signup"))
        #expect(Markup.forms(in: html).isEmpty)
    }

    @Test func error_signedIn_keepsTheUsersNav() {
        let html = Pages.error(Fixtures.signedIn, status: 429, title: "Slow down", message: "")

        #expect(Markup.navigation(of: html).contains("<strong>steve</strong>"))
    }

    @Test func error_hostileTitleAndMessage_areEscaped() {
        let html = Pages.error(
            nil, status: 400, title: Fixtures.hostileName,
            message: "client_id=\(Fixtures.attributeInjection)")

        #expect(!html.contains("<script"))
        #expect(html.contains("<p>client_id=&quot; onmouseover=&quot;x</p>"))
    }
}
