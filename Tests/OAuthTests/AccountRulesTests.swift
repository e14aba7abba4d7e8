import Testing

@testable import LatchkeyOAuth

struct AccountRulesTests {
    @Test(arguments: [
        ("steve", "steve@example.com", "long enough", [String]()),
        ("", "steve@example.com", "long enough", [Copy.usernameRule]),
        ("st eve", "steve@example.com", "long enough", [Copy.usernameRule]),
        ("<script>", "steve@example.com", "long enough", [Copy.usernameRule]),
        (String(repeating: "a", count: 41), "a@b.c", "long enough", [Copy.usernameRule]),
        ("steve", "steve", "long enough", [Copy.emailRule]),
        ("steve", "a@b@c", "long enough", [Copy.emailRule]),
        ("steve", "@example.com", "long enough", [Copy.emailRule]),
        ("steve", "steve@example.com", "short", [Copy.passwordRule]),
        ("", "", "", [Copy.usernameRule, Copy.emailRule, Copy.passwordRule]),
    ])
    func problems_listEveryBrokenRule(
        username: String, email: String, password: String, expected: [String]
    ) {
        #expect(Accounts.problems(username: username, email: email, password: password) == expected)
    }
}
