import Testing

@testable import LatchkeyText

struct URLHostTests {
    @Test(arguments: [
        "https://app.example/cb", "https://user:pw@app.example:8443/cb?x=<#y",
        "https://a-b_c~d.e!f$g&h'i(j)k*l+m,n;o=p/", "https://app%41.example/",
        "https://exämple.example/", "http://[::1]:8000/", "http://[fe80::1%25eth0]/",
        "https:///no-host", "mailto:someone@example.com", "no scheme at all", "",
    ])
    func hasNoForbiddenASCII_hostsFoundationTook_isTrue(url: String) {
        #expect(URLHost.hasNoForbiddenASCII(in: url))
    }

    @Test(arguments: [
        "https://a<b/", "https://a\"b/", "https://a\\b/", "https://a^b/", "https://a`b/",
        "https://a{b/", "https://a|b/", "https://a b/", "https://a%zz/", "https://a%4/",
        "https://a%/", "https://a\u{7F}b/", "https://a\u{1}b/", "https://user@a<b:80/",
        "//a<b/path", "https://ä<b/",
    ])
    func hasNoForbiddenASCII_hostsFoundationRefused_isFalse(url: String) {
        #expect(!URLHost.hasNoForbiddenASCII(in: url))
    }
}
