import Foundation
import Testing

/// A real server on a fresh SQLite file with the seed document's cast: Steve and one
/// registered client application, "Goat Simulator".
struct SeedWorld {
    static let username = "steve"
    static let email = "steve@goat-simulator.com"
    static let password = "goat-password-1"
    static let mainURL = "https://goat.example"
    static let callback = "https://goat.example/oauth/callback"

    let server: TestServer
    let http = HTTPClient()
    let clientID: String
    let clientSecret: String

    var base: String { server.baseURL.absoluteString }

    /// A server on a fresh SQLite file, or on `databaseURL` (an empty PostgreSQL schema)
    /// when given.
    static func start(databaseURL: String? = nil, extraArguments: [String] = []) async throws
        -> SeedWorld
    {
        let server = try TestServer(databaseURL: databaseURL)
        try server.createUser(username: username, email: email, password: password)
        let (clientID, secret) = try server.createClient(
            name: "Goat Simulator", url: mainURL, callbacks: [callback],
            extraArguments: ["--owner", username])
        try await server.start(extraArguments: extraArguments)
        return SeedWorld(server: server, clientID: clientID, clientSecret: secret!)
    }

    /// A second server on the same database (PostgreSQL), with the same user and client:
    /// what one more process behind a load balancer is.
    func sibling(extraArguments: [String] = []) async throws -> SeedWorld {
        let other = try TestServer(databaseURL: server.databaseURL)
        try await other.start(extraArguments: extraArguments)
        return SeedWorld(server: other, clientID: clientID, clientSecret: clientSecret)
    }

    func url(_ pathAndQuery: String) -> URL {
        URL(string: base + pathAndQuery)!
    }

    /// A browser with its own cookies, signed in as `login` through the login form.
    func signIn(login: String = SeedWorld.username, password: String = SeedWorld.password)
        async throws -> HTTPClient
    {
        let browser = HTTPClient(cookies: CookieJar())
        let page = try await browser.get(url("/login"))
        let response = try await browser.postForm(
            url("/login"),
            [("csrf_token", csrfToken(in: page.text)), ("login", login), ("password", password)])
        #expect(response.status == 303)
        return browser
    }

    /// Runs the web flow as the seed describes it and returns the code from the callback.
    func authorize(
        browser: HTTPClient, query: String? = nil, callback: String = SeedWorld.callback
    ) async throws -> String {
        let consent = try await browser.get(url("/authorize?" + (query ?? "client_id=\(clientID)")))
        var response = consent
        if consent.status == 200 {
            var fields = hiddenFields(in: consent.text)
            fields.append(("decision", "allow"))
            response = try await browser.postForm(url("/authorize/decision"), fields)
        }
        #expect(response.status == 302)
        let location = try #require(response.location)
        #expect(location.absoluteString.hasPrefix(callback + "?code=lkc_"))
        return try #require(location.queryValue("code"))
    }

    /// A POST to an endpoint that may answer `401` with a Basic challenge.
    func post(_ pathAndQuery: String, headers: [String: String] = [:], body: String? = nil)
        throws -> TestResponse
    {
        var allHeaders = headers
        if body != nil { allHeaders["Content-Type"] = "application/x-www-form-urlencoded" }
        return try PlainSocketClient.send(
            method: "POST", url: url(pathAndQuery), headers: allHeaders,
            body: body.map { Data($0.utf8) })
    }

    /// `POST /authorize/token?client_id=X&client_secret=Y&code=Z`, exactly as the seed.
    func exchange(code: String) async throws -> String {
        let response = try PlainSocketClient.send(
            method: "POST",
            url: url(
                "/authorize/token?client_id=\(clientID)&client_secret=\(clientSecret)&code=\(code)")
        )
        #expect(response.status == 200)
        return try #require(response.json?["access_token"] as? String)
    }

    /// The non-web flow with HTTP Basic, as the seed's curl example.
    func nonWebToken() async throws -> String {
        let response = try PlainSocketClient.send(
            method: "POST",
            url: url("/authorize?client_id=\(clientID)&client_secret=\(clientSecret)"),
            headers: ["Authorization": basic(SeedWorld.email, SeedWorld.password)])
        #expect(response.status == 200)
        return try #require(response.json?["access_token"] as? String)
    }

    func me(token: String) async throws -> TestResponse {
        try await http.get(url("/api/v1/me?access_token=\(token)"))
    }
}

func basic(_ user: String, _ password: String) -> String {
    "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
}

/// The value of the first `csrf_token` hidden field of a page.
func csrfToken(in html: String) -> String {
    hiddenFields(in: html).first { $0.0 == "csrf_token" }?.1 ?? ""
}

/// Every `<input type="hidden" name=... value=...>` of a page, in order, unescaped.
func hiddenFields(in html: String) -> [(String, String)] {
    var fields: [(String, String)] = []
    var rest = html[...]
    while let start = rest.range(of: "<input type=\"hidden\"") {
        let tagEnd = rest[start.upperBound...].firstIndex(of: ">") ?? rest.endIndex
        let tag = String(rest[start.lowerBound..<tagEnd])
        if let name = attribute("name", in: tag), let value = attribute("value", in: tag) {
            fields.append((name, value))
        }
        rest = rest[tagEnd...]
    }
    return fields
}

private func attribute(_ name: String, in tag: String) -> String? {
    guard let start = tag.range(of: " \(name)=\"") else { return nil }
    let valueStart = start.upperBound
    guard let end = tag[valueStart...].firstIndex(of: "\"") else { return nil }
    return String(tag[valueStart..<end])
        .replacingOccurrences(of: "&quot;", with: "\"")
        .replacingOccurrences(of: "&#39;", with: "'")
        .replacingOccurrences(of: "&lt;", with: "<")
        .replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&amp;", with: "&")
}
