import Foundation
import LatchkeySQLite
import LatchkeyStorage
import TestThreads
import Testing

/// `storeTokensLater`: a write queued for its commit, whose outcome arrives on a ticket.
@Suite(.onBlockingThreads) struct QueuedWriteStorageTests {
    @Test(arguments: StorageBackend.all)
    func storeTokensLater_ticketFinishes_thenBothTokensAreStored(backend: StorageBackend)
        throws
    {
        let seeded = try Seeded(backend)
        let pair = [
            token("queued-a", client: seeded.client.id, user: seeded.user.id),
            token("queued-r", client: seeded.client.id, user: seeded.user.id, kind: .refresh),
        ]

        try seeded.store.storeTokensLater(pair).wait()

        #expect(try seeded.store.token(hash: "queued-a") == pair[0])
        #expect(try seeded.store.token(hash: "queued-r") == pair[1])
        // Committed, not only visible to this handle: another process's view has them.
        #expect(try seeded.fixture.openAnother().token(hash: "queued-r") == pair[1])
    }

    @Test(arguments: StorageBackend.all)
    func storeTokensLater_oneConflict_ticketFailsAndStoresNone(backend: StorageBackend)
        throws
    {
        let seeded = try Seeded(backend)
        try seeded.store.storeToken(token("taken", client: seeded.client.id, user: nil))

        let ticket = seeded.store.storeTokensLater([
            token("fresh", client: seeded.client.id, user: nil),
            token("taken", client: seeded.client.id, user: nil),
        ])

        #expect(throws: StorageError.conflict("token_hash")) { try ticket.wait() }
        #expect(try seeded.store.token(hash: "fresh") == nil)
    }

    /// Queued writes and writes whose callers wait, from many threads at once: each one
    /// is committed exactly once, and each caller hears its own outcome.
    @Test(arguments: StorageBackend.all)
    func queuedAndWaitedWrites_fromManyThreads_allCommitWithTheirOwnOutcome(
        backend: StorageBackend
    ) throws {
        let seeded = try Seeded(backend)
        let (store, client) = (seeded.store, seeded.client.id)
        try store.storeToken(token("taken", client: client, user: nil))
        let outcomes = Collected<String>()

        onThreads(24) { index in
            for round in 0..<10 {
                let hash = "t-\(index)-\(round)"
                // Every fifth queued write collides, and must fail alone.
                let collides = index % 2 == 0 && round % 5 == 4
                let stored = token(collides ? "taken" : hash, client: client, user: nil)
                do {
                    if index % 2 == 0 {
                        try store.storeTokensLater([stored]).wait()
                    } else {
                        try store.storeToken(stored)
                    }
                    outcomes.append("stored \(hash)")
                } catch {
                    outcomes.append(collides ? "conflict" : "unexpected \(error)")
                }
            }
        }

        let all = outcomes.all
        #expect(all.count == 240)
        #expect(all.filter { $0 == "conflict" }.count == 24)
        #expect(all.filter { $0.hasPrefix("unexpected") } == [])
        for case let stored in all where stored.hasPrefix("stored ") {
            #expect(try store.token(hash: String(stored.dropFirst(7))) != nil)
        }
    }

    /// A completion runs on the thread that committed, and may queue the next write
    /// from there, as a request answered from the commit may lead to another.
    @Test(arguments: StorageBackend.all)
    func completion_queuesAnotherWrite_bothCommit(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let (store, client) = (seeded.store, seeded.client.id)
        let second = Collected<CommitTicket>()

        store.storeTokensLater([token("first", client: client, user: nil)]).whenFinished {
            error in
            #expect(error == nil)
            second.append(store.storeTokensLater([token("second", client: client, user: nil)]))
        }
        let deadline = Date().addingTimeInterval(10)
        while second.all.isEmpty && Date() < deadline { usleep(1_000) }
        try #require(second.all.first).wait()

        #expect(try store.token(hash: "first") != nil)
        #expect(try store.token(hash: "second") != nil)
    }

    /// The store may go away as soon as its last queued write is committed: the thread
    /// that committed it then closes it, without waiting on itself.
    @Test func sqlite_releasedRightAfterAQueuedWrite_closesAndReopens() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("latchkey-queued-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("latchkey.db").path

        for round in 0..<20 {
            var store: SQLiteStorage? = try SQLiteStorage(path: path)
            try store!.migrate()
            if round == 0 {
                try store!.storeToken(
                    token("first", client: try seedClient(store!), user: nil))
            }
            let ticket = store!.storeTokensLater([
                token("round-\(round)", client: 1, user: nil)
            ])
            store = nil
            try ticket.wait()
        }

        let reopened = try SQLiteStorage(path: path)
        for round in 0..<20 {
            #expect(try reopened.token(hash: "round-\(round)") != nil)
        }
    }

    @Test func queuesWrites_onlyWhereTheStoreHasACommitQueue() throws {
        let seeded = try Seeded(.sqlite)
        #expect(seeded.store.queuesWrites)
        if PostgresTestDatabase.isEnabled {
            #expect(try Seeded(.postgres).store.queuesWrites == false)
        }
    }

    private func seedClient(_ store: SQLiteStorage) throws -> Int64 {
        try store.createClient(newClient()).id
    }
}

extension QueuedWriteStorageTests {
    /// What `/metrics` shows of the pool: nothing in use between calls, at least the
    /// connection the last call used still open, and the default bound of eight.
    @Test(arguments: StorageBackend.all)
    func connectionPoolUsage_betweenCalls_holdsNothing(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        try seeded.store.storeTokensLater([token("t", client: seeded.client.id, user: nil)])
            .wait()

        let usage = seeded.store.connectionPoolUsage
        #expect(usage.inUse == 0)
        #expect(usage.open >= 1 && usage.open <= usage.capacity)
        #expect(usage.capacity == 8)
        #expect(usage.queuedWrites == 0)
    }
}
