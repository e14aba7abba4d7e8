import Testing

@testable import LatchkeyOAuth

struct ScopeCatalogTests {
    @Test func parse_keepsOrderAndDropsDuplicates() throws {
        #expect(try ScopeCatalog.builtIn.parse("email  profile email") == ["email", "profile"])
    }

    @Test func parse_unknownScope_isInvalidScope() {
        #expect(throws: OAuthError(.invalidScope, "The scope \"admin\" is not offered here.")) {
            try ScopeCatalog.builtIn.parse("profile admin")
        }
    }

    @Test func parse_isCaseSensitive_isInvalidScope() {
        #expect(throws: OAuthError.self) { try ScopeCatalog.builtIn.parse("Profile") }
    }

    @Test func covers_requiresEveryScope() {
        #expect(["profile", "email"].covers(["email"]))
        #expect(!["profile"].covers(["profile", "email"]))
    }
}
