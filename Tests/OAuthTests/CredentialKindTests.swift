import Testing

@testable import LatchkeyOAuth

struct CredentialKindTests {
    @Test(arguments: CredentialKind.allCases)
    func generate_isPrefixRandomAndChecksum(kind: CredentialKind) {
        let credential = kind.generate()
        #expect(credential.hasPrefix(kind.rawValue))
        #expect(credential.count == 4 + 43 + 6)
        #expect(kind.isWellFormed(credential))
        #expect(kind.generate() != credential)
    }

    @Test func isWellFormed_refusesTyposAndOtherKinds() {
        let token = CredentialKind.accessToken.generate()
        var typo = Array(token)
        typo[10] = typo[10] == "A" ? "B" : "A"
        #expect(!CredentialKind.accessToken.isWellFormed(String(typo)))
        #expect(!CredentialKind.accessToken.isWellFormed(String(token.dropLast())))
        #expect(!CredentialKind.accessToken.isWellFormed(token + "A"))
        #expect(!CredentialKind.refreshToken.isWellFormed(token))
        #expect(!CredentialKind.accessToken.isWellFormed(""))
        #expect(
            !CredentialKind.accessToken.isWellFormed("lka_" + String(repeating: "é", count: 49)))
        let refresh = "lkr_" + token.dropFirst(4)
        #expect(!CredentialKind.refreshToken.isWellFormed(refresh))
    }
}
