import Testing

@testable import LatchkeyOAuth

struct RedirectURITests {
    @Test(arguments: [
        ("https://app.example/cb", true),
        ("http://localhost:3000/callback", true),
        ("https://app.example/cb?x=1", true),
        ("https://app.example/cb#fragment", false),
        ("app.example/cb", false),
        ("javascript:alert(1)", false),
        ("ftp://app.example/cb", false),
        ("https:///nohost", false),
        ("https://app.example/a b", false),
        ("", false),
        // A host with ASCII characters RFC 3986 does not allow in one.
        ("https://app\"x.example/cb", false),
        ("https://app<x.example/cb", false),
        ("https://app%zz.example/cb", false),
        ("https://app%41.example/cb", true),
        ("https://exämple.example/cb", true),
        ("http://[::1]:8000/cb", true),
    ])
    func isAcceptableCallback_allowsAbsoluteHTTPWithoutFragment(url: String, accepted: Bool) {
        #expect(RedirectURI.isAcceptableCallback(url) == accepted)
    }

    @Test func resolve_withoutRequest_isFirstRegistered() {
        let registered = ["https://a.example/cb", "https://b.example/cb"]
        #expect(RedirectURI.resolve(requested: nil, registered: registered) == registered[0])
    }

    @Test(
        arguments: [
            ("https://b.example/cb", "https://b.example/cb"),
            ("https://b.example/cb/", nil),
            ("https://B.example/cb", nil),
            ("https://b.example/cb?extra=1", nil),
            ("https://evil.example/cb", nil),
            ("http://127.0.0.1:53124/done", "http://127.0.0.1:53124/done"),
            ("http://127.0.0.1:53124/other", nil),
            ("http://[::1]:8000/done", "http://[::1]:8000/done"),
            ("http://localhost:53124/done", nil),
        ] as [(String, String?)])
    func resolve_matchesExactlyOrLoopbackOnAnyPort(requested: String, expected: String?) {
        let registered = [
            "https://a.example/cb", "https://b.example/cb",
            "http://127.0.0.1/done", "http://[::1]/done",
        ]
        #expect(RedirectURI.resolve(requested: requested, registered: registered) == expected)
    }

    @Test func appending_keepsExistingQueryAndEncodesValues() {
        let url = RedirectURI.appending(
            [("code", "lkc_a-b"), ("state", "x y&z=1/é")], to: "https://app.example/cb?keep=1")
        #expect(url == "https://app.example/cb?keep=1&code=lkc_a-b&state=x%20y%26z%3D1%2F%C3%A9")
    }
}
