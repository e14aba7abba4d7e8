import Testing

@testable import LatchkeyOAuth

struct UserCodeTests {
    @Test func generate_isEightUnambiguousConsonants() {
        for _ in 0..<200 {
            let code = UserCode.generate()
            #expect(code.utf8.count == 8)
            #expect(code.allSatisfy { "BCDFGHJKMNPQRSTVWXZ".contains($0) })
        }
    }

    @Test func generate_usesTheWholeAlphabet() {
        let seen = Set((0..<300).flatMap { _ in UserCode.generate() })
        #expect(seen == Set("BCDFGHJKMNPQRSTVWXZ"))
    }

    @Test func display_insertsTheHyphenInTheMiddle() {
        #expect(UserCode.display("WDJBMJHT") == "WDJB-MJHT")
    }

    @Test(arguments: ["WDJB-MJHT", "wdjb-mjht", "WdJbMjHt", " wdjb mjht ", "W-D-J-B-M-J-H-T"])
    func normalized_ignoresCaseHyphensAndSpaces(typed: String) {
        #expect(UserCode.normalized(typed) == "WDJBMJHT")
    }

    @Test(arguments: [
        "", "WDJB-MJH", "WDJB-MJHTX", "WDJB-MJH0", "LDJB-MJHT", "ODJB-MJHT", "WDJB_MJHT",
        "WDJB\tMJHT", "ŴDJB-MJHT", "<script>", String(repeating: "B", count: 65),
        String(repeating: "-", count: 60) + "WDJBMJHT",
    ])
    func normalized_refusesAnythingElse(typed: String) {
        #expect(UserCode.normalized(typed) == nil)
    }
}
