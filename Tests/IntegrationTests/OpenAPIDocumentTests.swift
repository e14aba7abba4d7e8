import Foundation
import LatchkeyServer
import TestThreads
import Testing

/// `openapi.yaml` against the server it describes.
///
/// The rule: the document lists every route of the router's table (`App.routeTable`), and
/// nothing else. Browser pages (tag `pages`) are listed briefly: every body they document
/// is HTML, and their `default` response stands for error pages. Every other operation
/// documents each status it answers, with its media type, its headers and, for JSON, a
/// schema that the real bodies match; the errors of the JSON endpoints (tags `legacy`,
/// `oauth`, `openid`) are RFC 6749 §5.2 bodies.
@Suite(.onBlockingThreads, .timeLimit(.minutes(3)))
struct OpenAPIDocumentTests {
    static let tags: Set = ["legacy", "oauth", "openid", "operations", "pages"]
    static let jsonEndpointTags: Set = ["legacy", "oauth", "openid"]
    static let html = "text/html; charset=utf-8"

    @Test func served_isTheSourceFileAsYAML() async throws {
        let server = try TestServer()
        try await server.start()
        let source = try Data(contentsOf: OpenAPIDocument.sourceURL)

        let response = try await HTTPClient().get(server.url("/openapi.yaml"))
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "application/yaml")
        #expect(response.headers["Cache-Control"] == "public, max-age=3600")
        #expect(response.headers["X-Content-Type-Options"] == "nosniff")
        #expect(response.body == source)

        let head = try await HTTPClient().send(method: "HEAD", url: server.url("/openapi.yaml"))
        #expect(head.status == 200)
        #expect(head.headers["Content-Type"] == "application/yaml")
        #expect(head.body.isEmpty)
    }

    @Test func document_isOpenAPI31_andEveryReferenceResolves() throws {
        let document = try OpenAPIDocument()
        #expect(document.root["openapi"] as? String == "3.1.0")

        let references = Set(document.references)
        #expect(!references.isEmpty)
        for reference in references.sorted() {
            #expect(reference.hasPrefix("#/components/"), "\(reference) is not a component")
            #expect(document.resolve(reference) != nil, "\(reference) is not defined")
        }

        // A component nothing refers to has drifted away from the endpoints.
        let components = document.root["components"] as? [String: Any] ?? [:]
        for (kind, entries) in components where kind != "securitySchemes" {
            for name in (entries as? [String: Any] ?? [:]).keys.sorted() {
                let reference = "#/components/\(kind)/\(name)"
                if !references.contains(reference) { Issue.record("\(reference) is never used") }
            }
        }
        let schemes = Set((components["securitySchemes"] as? [String: Any] ?? [:]).keys)
        var usedSchemes: Set<String> = []
        for operation in document.operations {
            for requirement in operation.object["security"] as? [[String: Any]] ?? [] {
                usedSchemes.formUnion(requirement.keys)
            }
        }
        #expect(usedSchemes == schemes)
    }

    @Test func document_listsExactlyTheRouteTable() throws {
        let document = try OpenAPIDocument()
        let documented = document.operations.map {
            RouteSignature(method: $0.method, pattern: $0.path)
        }
        #expect(Set(documented).count == documented.count)

        let served = Set(App.routeTable)
        #expect(served.count == App.routeTable.count)
        let missing = served.subtracting(documented).map(\.description).sorted()
        let extra = Set(documented).subtracting(served).map(\.description).sorted()
        #expect(missing.isEmpty, "served but not documented: \(missing)")
        #expect(extra.isEmpty, "documented but not served: \(extra)")
        #expect(served.contains(RouteSignature(method: "GET", pattern: "/openapi.yaml")))
    }

    @Test func operations_followTheRulesOfTheirTag() throws {
        let document = try OpenAPIDocument()
        var operationIDs: [String] = []
        for operation in document.operations {
            let tags = operation.tags
            #expect(tags.count == 1 && Self.tags.contains(tags[0]), "\(operation): tags \(tags)")
            operationIDs.append(operation.object["operationId"] as? String ?? "")

            for name in Self.pathParameters(operation.path) {
                #expect(
                    Self.parameters(of: operation, document).contains { $0 == (name, "path") },
                    "\(operation) does not describe its path parameter \(name)")
            }

            for key in operation.responseKeys {
                let response = try #require(document.response(operation, key: key))
                let label = "\(operation) \(key)"
                if tags == ["pages"] {
                    #expect(
                        response.mediaTypes.allSatisfy { $0 == Self.html }, "\(label): not HTML")
                    continue
                }
                #expect(key != "default", "\(label): only pages may have a default response")
                let status = Int(key) ?? 0
                guard status >= 400, tags.allSatisfy(Self.jsonEndpointTags.contains) else {
                    continue
                }
                #expect(response.mediaTypes == ["application/json"], "\(label): not JSON")
                #expect(isOAuthError(response, document), "\(label): not an OAuth error")
                if status == 401 {
                    #expect(response.headers["WWW-Authenticate"] != nil, "\(label): challenge")
                }
                if status == 429 || status == 503 {
                    #expect(response.headers["Retry-After"] != nil, "\(label): Retry-After")
                }
            }
        }
        #expect(Set(operationIDs).count == operationIDs.count)
        #expect(!operationIDs.contains(""))
    }

    /// Each operation once, as a visitor with no credentials, session or parameters
    /// would send it: the server answers, and answers as documented.
    @Test func everyOperation_withoutCredentials_isAnsweredAsDocumented() async throws {
        let server = try TestServer()
        try await server.start()
        let document = try OpenAPIDocument()
        let http = HTTPClient()

        for operation in document.operations {
            let path = operation.path.replacingOccurrences(of: "{client_id}", with: "unknown")
            let response =
                operation.method == "GET"
                ? try await http.get(server.url(path))
                : try await http.send(
                    method: operation.method, url: server.url(path),
                    headers: ["Content-Type": "application/x-www-form-urlencoded"],
                    body: Data())
            #expect(![404, 405].contains(response.status), "\(operation): \(response.status)")
            for disagreement in disagreements(operation, response, document) {
                Issue.record("\(operation): \(disagreement)")
            }
        }
    }

    // MARK: Real exchanges against the schemas
    //
    // The flows of the seed and of the standard endpoints, successes and failures: each
    // response is one the document names, with its headers, and each JSON body matches
    // the documented schema.

    @Test func legacyExchanges_matchTheDocument() async throws {
        let world = try await SeedWorld.start()
        var seen = Exchanges()
        let credentials = "client_id=\(world.clientID)&client_secret=\(world.clientSecret)"

        let code = try await world.authorize(browser: try await world.signIn())
        let exchange = "/authorize/token?\(credentials)&code=\(code)"
        seen.add("POST", "/authorize/token", try world.post(exchange))
        seen.add("POST", "/authorize/token", try world.post(exchange))
        seen.add("POST", "/authorize/token", try world.post("/authorize/token?code=\(code)"))

        for password in [SeedWorld.password, "wrong"] {
            let login = ["Authorization": basic(SeedWorld.email, password)]
            seen.add(
                "POST", "/authorize", try world.post("/authorize?\(credentials)", headers: login))
        }
        let token = try await world.nonWebToken()
        let bearer = ["Authorization": "Bearer \(token)"]
        seen.add("GET", "/api/v1/me", try await world.me(token: token))
        seen.add("GET", "/api/v1", try await world.http.get(world.url("/api/v1"), headers: bearer))
        seen.add("GET", "/api/v1/me", try await world.http.get(world.url("/api/v1/me")))
        seen.add("GET", "/api/v1/me", try await world.me(token: "lka_unknown"))
        seen.add(
            "GET", "/api/v1/me",
            try await world.http.get(world.url("/api/v1/me?access_token=\(token)"), headers: bearer)
        )

        try check(seen, expectedBodies: 10)
    }

    @Test func tokenEndpointAndDeviceFlow_matchTheDocument() async throws {
        let world = try await SeedWorld.start()
        var seen = Exchanges()

        let openID = try await world.authorizeOpenID(try await world.signIn())
        let code = try #require(openID.queryValue("code"))
        let tokens = try world.token(
            [("grant_type", "authorization_code"), ("code", code)], auth: world.seedBasic)
        seen.add("POST", "/oauth/token", tokens)
        #expect(tokens.json?["id_token"] is String)
        let refreshToken = try #require(tokens.json?["refresh_token"] as? String)
        let secretInBody = ClientAuth.post(world.clientID, world.clientSecret)
        for grant in [
            [("grant_type", "refresh_token"), ("refresh_token", refreshToken)],
            [("grant_type", "client_credentials")],
            [
                ("grant_type", "password"), ("username", SeedWorld.username),
                ("password", SeedWorld.password),
            ],
            [("grant_type", "implicit")],
        ] {
            seen.add("POST", "/oauth/token", try world.token(grant, auth: secretInBody))
        }
        let wrongSecret = ClientAuth.basic(world.clientID, "wrong")
        seen.add(
            "POST", "/oauth/token",
            try world.token([("grant_type", "client_credentials")], auth: wrongSecret))

        let started = try world.deviceAuthorization()
        seen.add("POST", "/oauth/device_authorization", started)
        let deviceCode = try #require(started.json?["device_code"] as? String)
        let userCode = try #require(started.json?["user_code"] as? String)
        seen.add("POST", "/oauth/token", try world.pollDevice(deviceCode))
        let browser = try await world.signIn()
        let consent = try await world.submitUserCode(browser, userCode)
        #expect(try await world.decideOnDevice(browser, consent: consent, "allow").status == 200)
        seen.add("POST", "/oauth/token", try world.pollDevice(deviceCode))
        seen.add(
            "POST", "/oauth/device_authorization", try world.deviceAuthorization(scope: "admin"))

        try check(seen, expectedBodies: 10)
    }

    @Test func introspectionRevocationOpenIDAndOperations_matchTheDocument() async throws {
        let world = try await SeedWorld.start()
        var seen = Exchanges()
        let tokens = try await world.openIDTokens(try await world.signIn())
        let accessToken = try #require(tokens["access_token"] as? String)
        let refreshToken = try #require(tokens["refresh_token"] as? String)

        for token in [accessToken, refreshToken, "lka_unknown"] {
            let form = [("token", token)]
            seen.add(
                "POST", "/oauth/introspect",
                try world.oauthPost("/oauth/introspect", form, auth: world.seedBasic))
        }
        seen.add(
            "POST", "/oauth/introspect",
            try world.oauthPost("/oauth/introspect", [("token", accessToken)], auth: nil))
        let legacyToken = try await world.nonWebToken()
        for hint in ["id_token", "access_token"] {
            let form = [("token", legacyToken), ("token_type_hint", hint)]
            seen.add(
                "POST", "/oauth/revoke",
                try world.oauthPost("/oauth/revoke", form, auth: world.seedBasic))
        }

        let userInfo = world.url("/oauth/userinfo")
        let bearer = ["Authorization": "Bearer \(accessToken)"]
        seen.add("GET", "/oauth/userinfo", try await world.http.get(userInfo, headers: bearer))
        seen.add(
            "POST", "/oauth/userinfo",
            try await world.http.postForm(userInfo, [("access_token", accessToken)]))
        seen.add(
            "GET", "/oauth/userinfo",
            try await world.http.get(world.url("/oauth/userinfo?access_token=\(accessToken)")))
        // The non-web flow grants the client's defaults, `profile email`: no `openid`.
        let withoutOpenID = ["Authorization": "Bearer \(try await world.nonWebToken())"]
        seen.add(
            "GET", "/oauth/userinfo", try await world.http.get(userInfo, headers: withoutOpenID))
        for path in [
            "/oauth/jwks", "/.well-known/oauth-authorization-server",
            "/.well-known/openid-configuration", "/healthz", "/readyz", "/metrics",
        ] {
            seen.add("GET", path, try await world.http.get(world.url(path)))
        }

        try check(seen, expectedBodies: 14)
    }

    /// Responses as a test received them, with the operation each answered.
    private struct Exchanges {
        var all: [(operation: String, response: TestResponse)] = []

        mutating func add(_ method: String, _ path: String, _ response: TestResponse) {
            all.append(("\(method) \(path)", response))
        }
    }

    /// Checks every response against the document, and each JSON body against its schema;
    /// `expectedBodies` guards against a flow that quietly stopped producing them.
    private func check(
        _ exchanges: Exchanges, expectedBodies: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let document = try OpenAPIDocument()
        let operations = Dictionary(
            uniqueKeysWithValues: document.operations.map { ("\($0.method) \($0.path)", $0) })

        var bodies: [(pointer: String, instance: Any)] = []
        var shown: [String] = []
        for (name, response) in exchanges.all {
            let operation = try #require(operations[name], sourceLocation: sourceLocation)
            for disagreement in disagreements(operation, response, document) {
                Issue.record(
                    "\(operation) \(response.status): \(disagreement)",
                    sourceLocation: sourceLocation)
            }
            guard response.headers["Content-Type"] == "application/json",
                let documented = document.response(operation, status: response.status)
            else { continue }
            let body = try JSONSerialization.jsonObject(with: response.body)
            bodies.append((documented.pointer + "/content/application~1json/schema", body))
            shown.append("\(operation) \(response.status) \(response.text)")
        }

        #expect(bodies.count == expectedBodies, sourceLocation: sourceLocation)
        for failure in try document.validate(bodies) {
            let index = Int(failure.prefix { $0 != " " }) ?? 0
            Issue.record("\(failure)\n  body: \(shown[index])", sourceLocation: sourceLocation)
        }
    }

    // MARK: Helpers

    /// How `response` differs from what the document says `operation` answers.
    private func disagreements(
        _ operation: OpenAPIDocument.Operation, _ response: TestResponse,
        _ document: OpenAPIDocument
    ) -> [String] {
        let status = response.status
        guard operation.responseKeys.contains(String(status)) || status >= 400,
            let documented = document.response(operation, status: status)
        else {
            return ["status \(status) is not documented"]
        }

        var found: [String] = []
        let contentType = response.headers["Content-Type"]
        if response.body.isEmpty {
            if !documented.mediaTypes.isEmpty { found.append("no body, but one is documented") }
        } else if !documented.mediaTypes.contains(contentType ?? "") {
            found.append("Content-Type \(contentType ?? "none"), not \(documented.mediaTypes)")
        }
        for (name, entry) in documented.headers {
            let header = (entry as? [String: Any]).flatMap { document.resolved($0, at: "") }
            guard let sent = response.headers[name] else {
                if header?.object["required"] as? Bool == true {
                    found.append("no \(name) header")
                }
                continue
            }
            let schema = header?.object["schema"] as? [String: Any]
            if let expected = schema?["const"] as? String, sent != expected {
                found.append("\(name): \(sent), not \(expected)")
            }
        }
        return found
    }

    /// Whether the JSON body documented is the RFC 6749 §5.2 error or a narrowing of it.
    private func isOAuthError(
        _ response: OpenAPIDocument.ResolvedResponse, _ document: OpenAPIDocument
    ) -> Bool {
        let error = "#/components/schemas/Error"
        let content = response.object["content"] as? [String: Any]
        let media = content?["application/json"] as? [String: Any]
        guard let reference = (media?["schema"] as? [String: Any])?["$ref"] as? String else {
            return false
        }
        if reference == error { return true }
        let schema = document.resolve(reference) as? [String: Any]
        let parts = schema?["allOf"] as? [[String: Any]] ?? []
        return parts.first?["$ref"] as? String == error
    }

    private static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }
            .map { String($0.dropFirst().dropLast()) }
    }

    private static func parameters(
        of operation: OpenAPIDocument.Operation, _ document: OpenAPIDocument
    ) -> [(String, String)] {
        (operation.object["parameters"] as? [[String: Any]] ?? []).compactMap { entry in
            let parameter =
                (entry["$ref"] as? String).flatMap { document.resolve($0) as? [String: Any] }
                ?? entry
            guard let name = parameter["name"] as? String, let place = parameter["in"] as? String
            else { return nil }
            return (name, place)
        }
    }
}
