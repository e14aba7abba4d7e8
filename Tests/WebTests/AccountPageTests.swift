import Foundation
import LatchkeyWeb
import Testing

@Suite struct AccountPageTests {
    @Test func application_showsNameURLScopesDatesAndRevokeForm() throws {
        let html = Pages.accountApplications(
            Fixtures.signedIn,
            applications: [
                Fixtures.authorized(lastUsedAt: Date(timeIntervalSince1970: 1_798_761_600))
            ],
            notice: nil)

        #expect(html.contains("<h2>PhoneGap Build</h2>"))
        #expect(html.contains("href=\"https://build.example.com\" rel=\"noopener noreferrer\""))
        #expect(
            html.contains(
                "<code class=\"scope\">profile</code> <code class=\"scope\">email</code>"))
        #expect(
            html.contains(
                "<dt>Authorized</dt><dd><time datetime=\"2026-12-03T16:42:00Z\">"
                    + "3 Dec 2026, 16:42 UTC</time></dd>"))
        #expect(
            html.contains(
                "<dt>Last used</dt><dd><time datetime=\"2027-01-01T00:00:00Z\">"
                    + "1 Jan 2027, 00:00 UTC</time></dd>"))
        let form = try #require(Markup.forms(in: html).first)
        #expect(
            form.hasPrefix(
                "<form method=\"post\" action=\"/account/applications/lk_client_1/revoke\">"))
        #expect(form.contains(">Revoke<span class=\"visually-hidden\"> access for PhoneGap Build"))
    }

    @Test func application_neverUsed_saysNever() {
        let html = Pages.accountApplications(
            Fixtures.signedIn, applications: [Fixtures.authorized(lastUsedAt: nil)], notice: nil)

        #expect(html.contains("<dt>Last used</dt><dd>Never</dd>"))
    }

    @Test func application_withoutScopes_saysNone() {
        let html = Pages.accountApplications(
            Fixtures.signedIn, applications: [Fixtures.authorized(scopes: [])], notice: nil)

        #expect(html.contains("<dt>Permissions</dt><dd>None</dd>"))
    }

    @Test func noApplications_showsEmptyStateAndNoForm() {
        let html = Pages.accountApplications(Fixtures.signedIn, applications: [], notice: nil)

        #expect(html.contains("No application has access to your account."))
        #expect(Markup.forms(in: html).isEmpty)
    }

    @Test func severalApplications_eachGetTheirOwnRevokeForm() {
        let html = Pages.accountApplications(
            Fixtures.signedIn,
            applications: [
                Fixtures.authorized(clientID: "one", name: "One"),
                Fixtures.authorized(clientID: "two", name: "Two"),
            ],
            notice: nil)

        let actions = Markup.forms(in: html).map {
            Markup.attribute("action", of: Markup.tags("form", in: $0)[0])
        }
        #expect(
            actions == ["/account/applications/one/revoke", "/account/applications/two/revoke"])
        #expect(!html.contains("No application has access"))
    }

    @Test(arguments: [
        ("a/b", "a%2Fb"), ("a b", "a%20b"), ("x?y#z", "x%3Fy%23z"), ("../admin", "..%2Fadmin"),
        ("\"><script>", "%22%3E%3Cscript%3E"), ("é", "%C3%A9"), ("a.b-c_d~e", "a.b-c_d~e"),
    ])
    func revokeAction_percentEncodesTheClientID(clientID: String, encoded: String) {
        let html = Pages.accountApplications(
            Fixtures.signedIn, applications: [Fixtures.authorized(clientID: clientID)],
            notice: nil)

        #expect(html.contains("action=\"/account/applications/\(encoded)/revoke\""))
    }

    @Test func notice_isAnnouncedAsStatus() {
        let html = Pages.accountApplications(
            Fixtures.signedIn, applications: [], notice: "Access for <b>X</b> revoked.")

        #expect(
            html.contains(
                "<div class=\"alert notice\" role=\"status\">"
                    + "<p>Access for &lt;b&gt;X&lt;/b&gt; revoked.</p></div>"
            ))
    }

    @Test func scriptClientName_appearsOnlyEscaped() {
        let html = Pages.accountApplications(
            Fixtures.signedIn,
            applications: [Fixtures.authorized(name: Fixtures.hostileName, scopes: ["<x>"])],
            notice: nil)

        #expect(!html.contains("<script"))
        #expect(!html.contains("<x>"))
        #expect(html.contains("<h2>&lt;script&gt;alert(1)&lt;/script&gt;</h2>"))
    }

    @Test func javascriptURL_isNotALink() {
        let html = Pages.accountApplications(
            Fixtures.signedIn, applications: [Fixtures.authorized(url: "javascript:alert(1)")],
            notice: nil)

        #expect(!html.contains("href=\"javascript:"))
        #expect(html.contains("<span class=\"url\">javascript:alert(1)</span>"))
    }
}
