import LatchkeyHTTP
import Testing

@testable import LatchkeyServer

struct RouterTests {
    private func router() -> Router {
        var router = Router()
        router.add("GET", "/authorize") { _, _, _ in Response(status: 200, text: "get") }
        router.add("POST", "/authorize") { _, _, _ in Response(status: 200, text: "post") }
        router.add("GET", "/developer/applications/{client_id}/edit") { _, _, captures in
            Response(status: 200, text: captures["client_id"] ?? "")
        }
        return router
    }

    @Test(arguments: [
        ("GET", "/authorize", "found"),
        ("HEAD", "/authorize", "found"),
        ("DELETE", "/authorize", "wrongMethod"),
        ("GET", "/authorize/", "notFound"),
        ("GET", "/developer/applications/abc/edit", "found"),
        ("GET", "/developer/applications//edit", "notFound"),
        ("GET", "/developer/applications/abc/edit/more", "notFound"),
        ("GET", "/nothing", "notFound"),
    ])
    func match_decidesByMethodAndPath(method: String, path: String, expected: String) {
        let outcome =
            switch router().match(method: method, path: path) {
            case .found: "found"
            case .wrongMethod: "wrongMethod"
            case .notFound: "notFound"
            }
        #expect(outcome == expected)
    }

    @Test func match_wrongMethod_listsAllowedMethods() {
        guard case .wrongMethod(let allowed) = router().match(method: "PUT", path: "/authorize")
        else {
            Issue.record("expected wrongMethod")
            return
        }
        #expect(allowed == ["GET", "POST"])
    }

    @Test(arguments: [
        ("GET", "/authorize", false),
        ("HEAD", "/authorize", false),
        ("POST", "/authorize", true),
        ("POST", "/read", false),
        ("GET", "/developer/applications/abc/edit", false),
    ])
    func match_blocks_byMethodUnlessTheRouteSays(method: String, path: String, blocks: Bool) {
        var router = router()
        router.add("POST", "/read", blocks: false) { _, _, _ in Response(status: 200) }

        guard case .found(_, _, _, let found, _) = router.match(method: method, path: path) else {
            Issue.record("expected a route for \(method) \(path)")
            return
        }
        #expect(found == blocks)
    }

    /// Every request that writes goes to the blocking pool; the read-only POSTs that are
    /// as cheap as an API call do not. The authorization endpoints' GETs write when the
    /// user consented before (the grant and a code), so they block too.
    @Test func appRoutes_blockExactlyTheWritingOnes() {
        var router = Router()
        App.addRoutes(to: &router)
        let readOnlyPosts: Set = ["/oauth/introspect", "/oauth/userinfo"]
        let writingGets: Set = ["/authorize", "/oauth/authorize"]

        for signature in App.routeTable {
            let path = signature.pattern.replacingOccurrences(of: "{client_id}", with: "abc")
            guard
                case .found(_, _, _, let blocks, _) = router.match(
                    method: signature.method, path: path)
            else {
                Issue.record("no route for \(signature)")
                continue
            }
            let expected =
                signature.method == "GET"
                ? writingGets.contains(path) : !readOnlyPosts.contains(path)
            #expect(blocks == expected, "\(signature)")
        }
    }

    private func overlappingRouter() -> Router {
        var router = Router()
        router.add("GET", "/apps/new") { _, _, _ in Response(status: 200) }
        router.add("GET", "/apps/{id}") { _, _, _ in Response(status: 200) }
        router.add("POST", "/apps/{id}") { _, _, _ in Response(status: 200) }
        return router
    }

    @Test(arguments: [
        ("GET", "/apps/new", "/apps/new", [String: String]()),
        ("HEAD", "/apps/new", "/apps/new", [:]),
        ("POST", "/apps/new", "/apps/{id}", ["id": "new"]),
        ("GET", "/apps/abc", "/apps/{id}", ["id": "abc"]),
    ])
    func match_literalRouteWinsForItsMethod_patternsTakeTheRest(
        method: String, path: String, pattern: String, expectedCaptures: [String: String]
    ) {
        guard
            case .found(_, let captures, let found, _, _) = overlappingRouter().match(
                method: method, path: path)
        else {
            Issue.record("expected a route for \(method) \(path)")
            return
        }
        #expect(found == pattern)
        #expect(captures == expectedCaptures)
    }

    @Test func match_wrongMethod_listsLiteralAndPatternMethodsInOrder() {
        guard
            case .wrongMethod(let allowed) = overlappingRouter().match(
                method: "DELETE", path: "/apps/new")
        else {
            Issue.record("expected wrongMethod")
            return
        }
        #expect(allowed == ["GET", "GET", "POST"])
    }

    @Test func localPath_refusesEverythingButALocalPath() {
        #expect(App.localPath("/authorize?client_id=x") == "/authorize?client_id=x")
        #expect(App.localPath("//evil.example/") == nil)
        #expect(App.localPath("/\\evil.example/") == nil)
        #expect(App.localPath("https://evil.example/") == nil)
        #expect(App.localPath("/a\nb") == nil)
        #expect(App.localPath(nil) == nil)
    }
}

struct ForwardedAddressTests {
    @Test(
        arguments: [
            ([String](), nil),
            (["198.51.100.7"], "198.51.100.7"),
            (["203.0.113.1, 198.51.100.7"], "198.51.100.7"),
            (["203.0.113.1", "2001:db8::1"], "2001:db8::1"),
            (["198.51.100.7, <script>"], nil),
            (["198.51.100.7, "], nil),
        ] as [([String], String?)])
    func forwardedAddress_isTheLastHop(headers: [String], expected: String?) {
        let request = Request(
            method: "GET", path: "/", headers: headers.map { ("x-forwarded-for", $0) })
        #expect(App.forwardedAddress(request) == expected)
    }
}
