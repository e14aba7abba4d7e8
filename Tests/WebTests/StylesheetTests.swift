import LatchkeyWeb
import Testing

@Suite struct StylesheetTests {
    @Test func stylesheet_isWellUnder64KiB() {
        #expect(Stylesheet.css.utf8.count < 16 * 1024)
    }

    @Test func stylesheet_isServedFromStyleCSS() {
        #expect(Stylesheet.path == "/style.css")
    }

    @Test func stylesheet_wrapsLongWordsAndLimitsTheColumn() {
        #expect(Stylesheet.css.contains("overflow-wrap: anywhere;"))
        #expect(Stylesheet.css.contains("max-width: 42rem;"))
        #expect(Stylesheet.css.contains("box-sizing: border-box;"))
    }

    @Test func stylesheet_hasVisibleFocusAndDarkMode() {
        #expect(Stylesheet.css.contains(":focus-visible { outline: 3px solid var(--focus);"))
        #expect(Stylesheet.css.contains("@media (prefers-color-scheme: dark)"))
    }

    @Test func stylesheet_loadsNothingElse() {
        let css = Stylesheet.css.lowercased()

        #expect(!css.contains("@import"))
        #expect(!css.contains("url("))
        #expect(!css.contains("expression("))
    }

    @Test func stylesheet_bracesBalance() {
        let opens = Stylesheet.css.filter { $0 == "{" }.count
        let closes = Stylesheet.css.filter { $0 == "}" }.count

        #expect(opens == closes)
        #expect(opens > 20)
    }

    @Test func everyClassUsedByPages_isStyledOrPurelySemantic() {
        // A class in markup with no rule is usually a typo that silently loses styling.
        let unstyledOnPurpose: Set<String> = ["consent"]
        let html = Fixtures.allPages().map(\.html).joined()
        let classes = Set(
            html.matches(of: #/class="([^"]*)"/#).flatMap {
                $0.output.1.split(separator: " ").map(String.init)
            })

        for name in classes.subtracting(unstyledOnPurpose) {
            #expect(Stylesheet.css.contains(".\(name)"), "no rule for .\(name)")
        }
    }
}
