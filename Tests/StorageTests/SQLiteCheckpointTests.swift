import Foundation
import LatchkeyStorage
import TestThreads
import Testing

@testable import LatchkeySQLite

/// The write-ahead log is copied into the database by a thread of its own, and stays
/// bounded however long writes go on.
@Suite(.onBlockingThreads) struct SQLiteCheckpointTests {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("latchkey-checkpoint-tests-\(UUID().uuidString)")

    var path: String { folder.appendingPathComponent("latchkey.db").path }

    /// Bytes of one log frame: a 24-byte header and a 4 KiB page.
    static let frameBytes = 24 + 4096

    private func seededStore() throws -> (SQLiteStorage, Client) {
        let store = try SQLiteStorage(path: path)
        try store.migrate()
        let user = try store.createUser(newUser())
        let client = try store.createClient(newClient(owner: user.id))
        return (store, client)
    }

    private func fileSize(_ path: String) -> Int {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.size] as? Int) ?? 0
    }

    /// Commits one token at a time, each a transaction of its own, until the log has
    /// grown by `frames` frames or more.
    private func write(frames: Int, to store: SQLiteStorage, client: Client) throws {
        var written = 0
        var index = 0
        while written < frames {
            let before = fileSize(path + "-wal")
            try store.storeToken(
                token(
                    String(repeating: "\(index % 10)", count: 8) + UUID().uuidString,
                    client: client.id, user: nil, family: UUID().uuidString))
            let after = fileSize(path + "-wal")
            // The log starts over from its beginning after a complete checkpoint, so
            // its size is not a count; each commit writes at least one frame.
            written += max(1, (after - before) / Self.frameBytes)
            index += 1
        }
    }

    @Test func logPastTheBackgroundMark_isCopiedWithoutAnyWriterWaiting() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (store, client) = try seededStore()
        let databaseBefore = fileSize(path)

        try write(frames: Int(Checkpointer.backgroundFrames) + 100, to: store, client: client)
        let deadline = Date().addingTimeInterval(10)
        while store.pool.checkpointer.completedCheckpoints == 0, Date() < deadline {
            usleep(10_000)
        }

        #expect(store.pool.checkpointer.completedCheckpoints >= 1)
        #expect(fileSize(path) > databaseBefore)
        // Below the foreground mark, no committing connection checkpointed: the copy in
        // the database file is the background thread's.
        #expect(fileSize(path + "-wal") < Int(Checkpointer.foregroundFrames) * Self.frameBytes)
    }

    /// Taking over from SQLite's own checkpoints must not leave the log to grow: this
    /// fails if neither the thread nor the committing connection copies it.
    @Test func log_staysBoundedUnderAStreamOfWrites() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (store, client) = try seededStore()

        try write(frames: 2 * Int(Checkpointer.foregroundFrames), to: store, client: client)

        // The file keeps the largest length the log reached. One transaction may add
        // its frames past the mark before the check that follows its commit.
        let bound = (Int(Checkpointer.foregroundFrames) + 100) * Self.frameBytes
        #expect(fileSize(path + "-wal") <= bound)
    }

    @Test func finish_stopsTheThreadAndEmptiesTheLog() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (store, client) = try seededStore()
        try write(frames: Int(Checkpointer.backgroundFrames) + 100, to: store, client: client)

        try store.finish()
        let logAtFinish = fileSize(path + "-wal")
        let checkpointsAtFinish = store.pool.checkpointer.completedCheckpoints
        try write(frames: Int(Checkpointer.backgroundFrames) + 100, to: store, client: client)
        usleep(200_000)

        #expect(logAtFinish == 0)
        #expect(store.pool.checkpointer.completedCheckpoints == checkpointsAtFinish)
        let reopened = try SQLiteStorage(path: path)
        #expect(try reopened.client(clientID: client.clientID)?.id == client.id)
    }
}
