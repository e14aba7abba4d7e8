import LatchkeyWeb
import Testing

@Suite struct NavigationTests {
    @Test func signedIn_navShowsUsernameAndAccountLinks() {
        let nav = Markup.navigation(of: Pages.home(Fixtures.signedIn))

        #expect(nav.contains("Signed in as <strong>steve</strong>"))
        #expect(nav.contains("<a href=\"/account/applications\">Applications</a>"))
        #expect(nav.contains("<a href=\"/developer/applications\">Developer</a>"))
        #expect(nav.contains("<a href=\"/logout\">Sign out</a>"))
        #expect(!nav.contains("/login"))
        #expect(!nav.contains("/signup"))
    }

    @Test func visitor_navShowsSignInAndSignUp() {
        let nav = Markup.navigation(of: Pages.home(Fixtures.visitor))

        #expect(nav.contains("<a href=\"/login\">Sign in</a>"))
        #expect(nav.contains("<a href=\"/signup\">Sign up</a>"))
        #expect(!nav.contains("Signed in as"))
        #expect(!nav.contains("/account/applications"))
        #expect(!nav.contains("/logout"))
    }

    @Test func visitor_withSignupDisabled_navHasNoSignUp() {
        let nav = Markup.navigation(of: Pages.home(Fixtures.visitorWithoutSignup))

        #expect(nav.contains("<a href=\"/login\">Sign in</a>"))
        #expect(!nav.contains("/signup"))
        #expect(!nav.contains("Sign up"))
    }

    @Test func hostileUsername_isEscapedInTheNav() {
        let context = PageContext(
            csrfToken: "t", signedInUsername: Fixtures.hostileName, signupEnabled: true)

        let nav = Markup.navigation(of: Pages.home(context))

        #expect(nav.contains("<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>"))
        #expect(!nav.contains("<script"))
    }

    @Test func currentPage_isMarkedInTheNav() {
        let html = Pages.accountApplications(
            Fixtures.signedIn, applications: [], notice: nil)

        #expect(
            Markup.navigation(of: html).contains(
                "<a href=\"/account/applications\" aria-current=\"page\">Applications</a>"))
    }

    @Test func home_signedIn_linksToBothApplicationLists() {
        let html = Pages.home(Fixtures.signedIn)
        let main = html.components(separatedBy: "<main")[1]

        #expect(main.contains("href=\"/account/applications\""))
        #expect(main.contains("href=\"/developer/applications\""))
        #expect(!main.contains("href=\"/login\""))
    }

    @Test func home_visitor_offersSignInAndSignUp() {
        let main = Pages.home(Fixtures.visitor).components(separatedBy: "<main")[1]

        #expect(main.contains("href=\"/login\""))
        #expect(main.contains("href=\"/signup\""))
        #expect(!main.contains("href=\"/account/applications\""))
    }

    @Test func home_visitorWithSignupDisabled_offersOnlySignIn() {
        let html = Pages.home(Fixtures.visitorWithoutSignup)

        #expect(html.contains("href=\"/login\""))
        #expect(!html.contains("/signup"))
    }
}
