import LatchkeyHTTP
import Testing

struct RequestCredentialsTests {
    private func request(_ headers: [(String, String)]) -> Request {
        Request(method: "GET", path: "/", headers: headers.map { ($0.0.lowercased(), $0.1) })
    }

    // MARK: Cookies

    @Test func cookies_severalHeadersAndSpaces_areAllRead() {
        let cookies = request([("Cookie", " a=1 ;b = 2;  c=\"quoted\" "), ("Cookie", "d=4")])
            .cookies

        #expect(cookies == ["a": "1", "b": "2", "c": "quoted", "d": "4"])
    }

    @Test func cookies_repeatedName_firstWins() {
        let cookies = request([
            ("Cookie", "session=first; session=second"), ("Cookie", "session=third"),
        ])
        .cookies

        #expect(cookies == ["session": "first"])
    }

    @Test(arguments: ["", ";;;", "=novalue", " ; = ; "])
    func cookies_junk_isEmptyWithoutFailing(_ header: String) {
        #expect(request([("Cookie", header)]).cookies == [:])
    }

    @Test func cookies_nameWithoutValue_hasEmptyValue() {
        #expect(request([("Cookie", "flag; x=1")]).cookies == ["flag": "", "x": "1"])
    }

    @Test func cookies_valueWithEquals_keepsRest() {
        #expect(request([("Cookie", "t=a=b==")]).cookies == ["t": "a=b=="])
    }

    @Test func cookies_noHeader_isEmpty() {
        #expect(request([]).cookies == [:])
    }

    // MARK: Basic

    @Test(arguments: ["Basic", "basic", "BASIC", "bAsIc"])
    func basicCredentials_anySchemeCase_isDecoded(_ scheme: String) {
        // "client:s3cr:et" — the password keeps every colon after the first.
        let credentials = request([("Authorization", "\(scheme) Y2xpZW50OnMzY3I6ZXQ=")])
            .basicCredentials

        #expect(credentials == BasicCredentials(username: "client", password: "s3cr:et"))
    }

    @Test func basicCredentials_emptyPassword_isEmptyString() {
        // "public-client:"
        let credentials = request([("Authorization", "Basic cHVibGljLWNsaWVudDo=")])
            .basicCredentials

        #expect(credentials == BasicCredentials(username: "public-client", password: ""))
    }

    @Test func basicCredentials_utf8_isDecoded() {
        // "jürgen:pässword"
        let credentials = request([("Authorization", "Basic asO8cmdlbjpww6Rzc3dvcmQ=")])
            .basicCredentials

        #expect(credentials == BasicCredentials(username: "jürgen", password: "pässword"))
    }

    @Test(arguments: [
        "Basic", "Basic ", "Basic !!!notbase64", "Basic dXNlcg==",  // "user": no colon
        "Basic /w==",  // 0xFF: not UTF-8
        "Bearer Y2xpZW50OnNlY3JldA==", "Basicdxnlcjpw", "Basic Y2xp ZW50OnNlY3JldA==",
    ])
    func basicCredentials_malformed_isNil(_ header: String) {
        #expect(request([("Authorization", header)]).basicCredentials == nil)
    }

    @Test func basicCredentials_twoAuthorizationHeaders_isNil() {
        let twice = request([
            ("Authorization", "Basic Y2xpZW50OnNlY3JldA=="),
            ("Authorization", "Basic b3RoZXI6c2VjcmV0"),
        ])

        #expect(twice.basicCredentials == nil)
    }

    // MARK: Bearer

    @Test(arguments: ["Bearer", "bearer", "BEARER"])
    func bearerToken_anySchemeCase_isRead(_ scheme: String) {
        #expect(
            request([("Authorization", "\(scheme) at_abc-._~+/123==")]).bearerToken
                == "at_abc-._~+/123==")
    }

    @Test(arguments: [
        "Bearer", "Bearer ", "Bearer a b", "Bearer a=b", "Bearer ===", "Bearer tök",
        "Bearer a,b", "Basic YTpi", "Bearerabc", "Bearer \"abc\"", "Bearer abc\u{301}",
        "Bearer \u{FF11}\u{FF12}", "Bearer abc\t", "Bearer a==b",
        // Schemes that only look like `Bearer`: Cyrillic е, fullwidth Ｂ, one letter more
        // or less.
        "Bear\u{0435}r abc", "\u{FF22}earer abc", "Bearers abc", "Beare abc",
    ])
    func bearerToken_malformed_isNil(_ header: String) {
        #expect(request([("Authorization", header)]).bearerToken == nil)
    }

    @Test func bearerToken_severalSpaces_isRead() {
        #expect(request([("Authorization", "Bearer   abc")]).bearerToken == "abc")
    }

    @Test func bearerToken_noHeader_isNil() {
        #expect(request([]).bearerToken == nil)
    }
}
