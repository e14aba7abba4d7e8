import Testing

@testable import LatchkeyOAuth

struct TokenRequestTests {
    private func request(
        _ pairs: [(String, String)], queryNames: [String] = [],
        contentType: String? = "application/x-www-form-urlencoded", hasBody: Bool = true
    ) -> ClientRequest {
        ClientRequest(
            form: pairs.map { (name: $0.0, value: $0.1) }, queryNames: queryNames,
            contentType: contentType, hasBody: hasBody)
    }

    @Test(arguments: GrantType.allCases)
    func knownGrantType_isParsed(grantType: GrantType) throws {
        let parsed = try TokenRequest(request([("grant_type", grantType.rawValue)]))
        #expect(parsed.grantType == grantType)
    }

    @Test(arguments: [
        "implicit", "AUTHORIZATION_CODE", "urn:ietf:params:oauth:grant-type:saml2-bearer",
        "urn:ietf:params:oauth:grant-type:jwt-bearer", String(repeating: "x", count: 100_000),
    ])
    func unknownGrantType_isUnsupportedGrantType_withoutEcho(grantType: String) {
        let error = expectOAuthError(.unsupportedGrantType) {
            _ = try TokenRequest(request([("grant_type", grantType)]))
        }
        #expect(error?.description.contains(grantType) == false)
    }

    @Test func missingGrantType_isInvalidRequest() {
        let error = expectOAuthError(.invalidRequest) {
            _ = try TokenRequest(request([("code", "x")]))
        }
        #expect(error?.description == "The request has no grant_type.")
    }

    @Test func emptyGrantType_countsAsMissing_isInvalidRequest() {
        let error = expectOAuthError(.invalidRequest) {
            _ = try TokenRequest(request([("grant_type", "")]))
        }
        #expect(error?.description == "The request has no grant_type.")
    }

    @Test(arguments: [
        ["client_secret"], ["client_id"], ["code"], ["grant_type"], ["anything"],
    ])
    func anyQueryParameter_isInvalidRequest(names: [String]) {
        let error = expectOAuthError(.invalidRequest) {
            _ = try TokenRequest(
                request([("grant_type", "client_credentials")], queryNames: names))
        }
        #expect(error?.description.contains("query string") == true)
    }

    @Test(arguments: ["grant_type", "code", "client_id", "client_secret", "scope"])
    func repeatedParameter_isInvalidRequest_naming_it(name: String) {
        let error = expectOAuthError(.invalidRequest) {
            _ = try TokenRequest(
                request([("grant_type", "authorization_code"), (name, "a"), (name, "a")]))
        }
        #expect(error?.description == "The parameter \(name) is repeated.")
    }

    @Test func repeatedUnknownParameter_isInvalidRequest_withoutEchoingTheName() {
        let hostile = "<script>" + String(repeating: "n", count: 5000)
        let error = expectOAuthError(.invalidRequest) {
            _ = try TokenRequest(
                request([("grant_type", "password"), (hostile, "1"), (hostile, "2")]))
        }
        #expect(error?.description == "A parameter is repeated.")
    }

    @Test(arguments: ["application/json", "text/plain", "multipart/form-data; boundary=x", nil])
    func bodyThatIsNotAForm_isInvalidRequest(contentType: String?) {
        let error = expectOAuthError(.invalidRequest) {
            _ = try TokenRequest(request([], contentType: contentType, hasBody: true))
        }
        #expect(error?.description == "The body must be application/x-www-form-urlencoded.")
    }

    @Test(arguments: [
        "application/x-www-form-urlencoded", "Application/X-WWW-Form-Urlencoded",
        "application/x-www-form-urlencoded; charset=UTF-8",
    ])
    func formContentType_inAnyCaseOrWithCharset_isAccepted(contentType: String) throws {
        let parsed = try TokenRequest(
            request([("grant_type", "password")], contentType: contentType))
        #expect(parsed.grantType == .password)
    }

    @Test func emptyParameters_areTreatedAsOmitted() throws {
        let parsed = try TokenRequest(
            request([("grant_type", "password"), ("scope", ""), ("username", "steve")]))
        #expect(parsed["scope"] == nil)
        #expect(parsed["username"] == "steve")
    }

    @Test func noBodyAtAll_isMissingGrantType() {
        let error = expectOAuthError(.invalidRequest) {
            _ = try TokenRequest(request([], contentType: nil, hasBody: false))
        }
        #expect(error?.description == "The request has no grant_type.")
    }
}
