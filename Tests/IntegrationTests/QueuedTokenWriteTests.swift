import CSQLite
import Foundation
import TestThreads
import Testing

/// On SQLite the client credentials grant queues its token for the next commit and is
/// answered from the thread that committed it. The answer must still never get ahead of
/// the commit: a token whose write failed is not handed out.
@Suite(.onBlockingThreads, .serialized, .timeLimit(.minutes(3)))
struct QueuedTokenWriteTests {
    /// The database refuses new tokens (a trigger, as a full disk or a broken file would):
    /// the client gets a JSON server_error instead of a token, the log says nothing was
    /// issued, and the metrics count a 500. Once it accepts them again, tokens flow.
    @Test func commitRefused_clientGetsServerError_notAToken() async throws {
        let world = try await SeedWorld.start()
        let (id, secret) = try world.makeClient(grants: "client_credentials")
        let request = [("grant_type", "client_credentials"), ("scope", "profile")]
        let issuedBefore = world.server.logText().components(separatedBy: "oauth.token.issued")

        try Self.execute(
            """
            CREATE TRIGGER refuse_tokens BEFORE INSERT ON tokens
            BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
            """, in: world.server.sqlitePath)
        let refused = try world.token(request, auth: .basic(id, secret!))

        #expect(refused.status == 500)
        #expect(refused.headers["Content-Type"] == "application/json")
        #expect(refused.headers["Cache-Control"] == "no-store")
        #expect(refused.json?["error"] as? String == "server_error")
        #expect(refused.json?["access_token"] == nil)
        #expect(!refused.text.contains("lka_"))
        let issuedAfter = world.server.logText().components(separatedBy: "oauth.token.issued")
        #expect(issuedAfter.count == issuedBefore.count)
        let metrics = try await world.http.get(world.url("/metrics")).text
        #expect(
            metrics.contains(
                #"latchkey_http_requests_total{route="/oauth/token",method="POST",status="500"} 1"#
            ))
        #expect(
            !metrics.contains(#"latchkey_tokens_issued_total{grant_type="client_credentials"}"#))

        try Self.execute("DROP TRIGGER refuse_tokens", in: world.server.sqlitePath)
        let accepted = try world.token(request, auth: .basic(id, secret!))
        #expect(accepted.status == 200)
        let token = try #require(accepted.json?["access_token"] as? String)
        let answer = try world.oauthPost(
            "/oauth/introspect", [("token", token)], auth: .basic(id, secret!))
        #expect(answer.json?["active"] as? Bool == true)
    }

    /// Queued writes answered from the commit, interleaved with grants that wait for
    /// theirs (password), on one connection each, keep their own answers.
    @Test func queuedAndWaitedGrants_interleaved_eachAnswerIsItsOwnStoredToken() async throws {
        let world = try await SeedWorld.start()
        let (id, secret) = try world.makeClient(grants: "client_credentials,password")
        let answers = Collected<String>()

        DispatchQueue.concurrentPerform(iterations: 24) { index in
            let pairs =
                index % 3 == 0
                ? [
                    ("grant_type", "password"), ("username", SeedWorld.username),
                    ("password", SeedWorld.password),
                ]
                : [("grant_type", "client_credentials")]
            let response = try? world.token(pairs, auth: .basic(id, secret!))
            answers.append(
                response?.json?["access_token"] as? String
                    ?? "status \(response?.status ?? 0)")
        }

        let tokens = answers.all
        #expect(Set(tokens).count == 24)
        for token in tokens {
            let answer = try world.oauthPost(
                "/oauth/introspect", [("token", token)], auth: .basic(id, secret!))
            #expect(answer.json?["active"] as? Bool == true, "\(token)")
        }
    }

    /// An API call marks its grant as used without waiting for the write, which runs on
    /// the event loop: the mark is queued and lands in the database just after.
    @Test func apiCall_marksItsGrantUsed_throughTheQueue() async throws {
        let world = try await SeedWorld.start()
        let token = try await world.nonWebToken()
        let storage = try world.sqliteStorage()
        let user = try #require(try storage.user(login: SeedWorld.username))
        let client = try #require(try storage.client(clientID: world.clientID))
        let before = try #require(try storage.grant(userID: user.id, clientRowID: client.id))
        #expect(before.lastUsedAt == nil)

        #expect(try await world.me(token: token).status == 200)

        var lastUsed: Date?
        let deadline = Date().addingTimeInterval(10)
        while lastUsed == nil && Date() < deadline {
            lastUsed = try storage.grant(userID: user.id, clientRowID: client.id)?.lastUsedAt
            if lastUsed == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        let marked = try #require(lastUsed)
        #expect(abs(marked.timeIntervalSinceNow) < 60)
    }

    /// Runs one statement on the server's database file from this process, as another
    /// program on the machine could.
    private static func execute(_ sql: String, in path: String) throws {
        var database: OpaquePointer?
        guard sqlite3_open(path, &database) == SQLITE_OK, let database else {
            throw HarnessError("cannot open \(path)")
        }
        defer { sqlite3_close(database) }
        sqlite3_busy_timeout(database, 10_000)
        guard sqlite3_exec(database, sql, nil, nil, nil) == SQLITE_OK else {
            throw HarnessError(String(cString: sqlite3_errmsg(database)))
        }
    }
}
