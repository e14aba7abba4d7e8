import Foundation
import TestThreads
import Testing

/// `/api/v1/me`: RFC 6750 answers for every kind of bad token.
@Suite(.onBlockingThreads, .timeLimit(.minutes(2)))
struct ProtectedAPITests {
    @Test func noToken_is401WithBareChallenge() async throws {
        let world = try await SeedWorld.start()
        let response = try await world.http.get(world.url("/api/v1/me"))
        #expect(response.status == 401)
        #expect(response.headers["WWW-Authenticate"] == "Bearer realm=\"latchkey\"")
    }

    @Test(arguments: ["lka_unknown", "", "xyz123x", "lka_" + String(repeating: "A", count: 5000)])
    func unknownToken_is401InvalidToken(token: String) async throws {
        let world = try await SeedWorld.start()
        let response = try await world.http.get(
            world.url("/api/v1/me"), headers: ["Authorization": "Bearer \(token)"])
        if token.isEmpty {
            #expect(response.status == 401)
            return
        }
        #expect(response.status == 401)
        #expect(response.json?["error"] as? String == "invalid_token")
        #expect(response.headers["WWW-Authenticate"]?.contains("error=\"invalid_token\"") == true)
    }

    @Test func tokenInHeaderAndQuery_isInvalidRequest() async throws {
        let world = try await SeedWorld.start()
        let token = try await world.nonWebToken()
        let response = try await world.http.get(
            world.url("/api/v1/me?access_token=\(token)"),
            headers: ["Authorization": "Bearer \(token)"])
        #expect(response.status == 400)
        #expect(response.json?["error"] as? String == "invalid_request")
    }

    @Test func repeatedAccessToken_isInvalidRequest() async throws {
        let world = try await SeedWorld.start()
        let token = try await world.nonWebToken()
        let response = try await world.http.get(
            world.url("/api/v1/me?access_token=\(token)&access_token=\(token)"))
        #expect(response.status == 400)
        #expect(response.json?["error"] as? String == "invalid_request")
    }

    @Test func revokedWithTheCLI_is401InvalidToken() async throws {
        let world = try await SeedWorld.start()
        let token = try await world.nonWebToken()
        let result = try world.server.run(["token", "revoke", token])
        #expect(result.status == 0)
        #expect(!result.stdout.contains(token))
        let response = try await world.me(token: token)
        #expect(response.status == 401)
        #expect(response.json?["error"] as? String == "invalid_token")
    }

    @Test func tokenWithoutProfileScope_is403InsufficientScope() async throws {
        let world = try await SeedWorld.start()
        let browser = try await world.signIn()
        let code = try await world.authorize(
            browser: browser, query: "client_id=\(world.clientID)&scope=email")
        let token = try await world.exchange(code: code)
        let response = try await world.me(token: token)
        #expect(response.status == 403)
        #expect(response.json?["error"] as? String == "insufficient_scope")
    }

    @Test func profileWithoutEmailScope_leavesEmailOut() async throws {
        let world = try await SeedWorld.start()
        let code = try await world.authorize(
            browser: try await world.signIn(), query: "client_id=\(world.clientID)&scope=profile")
        let response = try await world.me(token: try await world.exchange(code: code))
        #expect(response.status == 200)
        #expect(response.json?["email"] == nil)
        #expect(response.json?["username"] as? String == "steve")
    }

    @Test(arguments: [
        "/api/v1/me?access_token=%zz",
        "/api/v1/me?access_token=%C3%28",
        "/api/v1/me?" + (0..<200).map { "p\($0)=1" }.joined(separator: "&"),
    ])
    func malformedOrExcessiveQuery_isInvalidRequest(target: String) async throws {
        let world = try await SeedWorld.start()
        let response = try PlainSocketClient.send(
            method: "GET", url: world.url("/healthz"), rawTarget: target)
        #expect(response.status == 400)
        #expect(response.json?["error"] as? String == "invalid_request")
        #expect(response.headers["WWW-Authenticate"]?.contains("invalid_request") == true)
        #expect(try await world.http.get(world.url("/healthz")).status == 200)
    }

    @Test func hugeQuery_is414AndTheServerStaysUp() async throws {
        let world = try await SeedWorld.start()
        let response = try await world.http.get(
            world.url("/api/v1/me?access_token=" + String(repeating: "a", count: 9000)))
        #expect(response.status == 414)
        #expect(try await world.http.get(world.url("/healthz")).status == 200)
    }

    @Test func tokenOfDeletedClient_is401() async throws {
        let world = try await SeedWorld.start()
        let token = try await world.nonWebToken()
        #expect(try world.server.run(["client", "delete", world.clientID]).status == 0)
        let response = try await world.me(token: token)
        #expect(response.status == 401)
        #expect(response.json?["error"] as? String == "invalid_token")
    }
}
