import Foundation
import LatchkeyStorage
import TestThreads
import Testing

@testable import LatchkeySQLite

/// What only the SQLite backend has: a file, migrations, and its own open rules.
@Suite(.onBlockingThreads) struct SQLiteStorageTests {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("latchkey-sqlite-tests-\(UUID().uuidString)")

    var path: String { folder.appendingPathComponent("sub/dir/latchkey.db").path }

    @Test func init_missingFolders_createsThemAndTheFile() throws {
        defer { try? FileManager.default.removeItem(at: folder) }

        let store = try SQLiteStorage(path: path)

        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try store.schemaVersion == 0)
    }

    @Test func migrate_twice_isHarmlessAndKeepsData() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStorage(path: path)

        try store.migrate()
        let version = try store.schemaVersion
        let user = try store.createUser(newUser())
        try store.migrate()

        #expect(version >= 1)
        #expect(try store.schemaVersion == version)
        #expect(try store.user(id: user.id) == user)
    }

    @Test func migrate_fromTwoHandlesAtOnce_bothSucceed() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let stores = [try SQLiteStorage(path: path), try SQLiteStorage(path: path)]
        let errors = Collected<String>()

        onThreads(2) { index in
            do { try stores[index].migrate() } catch { errors.append("\(error)") }
        }

        #expect(errors.all == [])
        #expect(try stores[0].schemaVersion == stores[1].schemaVersion)
        #expect(try stores[0].createUser(newUser()).username == "alice")
    }

    @Test func reopen_afterRelease_seesCommittedData() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let store = try SQLiteStorage(path: path)
            try store.migrate()
            _ = try store.createUser(newUser("persisted"))
        }

        let reopened = try SQLiteStorage(path: path)
        try reopened.migrate()

        #expect(try reopened.user(login: "persisted")?.username == "persisted")
    }

    @Test func init_folderThatCannotBeMade_namesItAndTheSystemsReason() {
        #expect(
            throws: StorageError.unavailable(
                "cannot create folder /proc/latchkey/x: No such file or directory")
        ) {
            _ = try SQLiteStorage(path: "/proc/latchkey/x/latchkey.db")
        }
    }

    @Test func init_fileThatIsNotADatabase_throwsStorageError() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("garbage.db").path
        try Data(String(repeating: "not sqlite ", count: 1_000).utf8).write(
            to: URL(fileURLWithPath: file))

        #expect(throws: StorageError.self) {
            let store = try SQLiteStorage(path: file)
            try store.migrate()
        }
    }

    @Test(arguments: ["", ":memory:", "file:latchkey.db?mode=memory"])
    func init_notAFilePath_throwsFailure(path: String) {
        #expect {
            _ = try SQLiteStorage(path: path)
        } throws: { error in
            guard case StorageError.failure = error else { return false }
            return true
        }
    }

    @Test func init_folderCannotBeCreated_throwsUnavailable() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let blocker = folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)

        #expect {
            _ = try SQLiteStorage(path: blocker.appendingPathComponent("db.sqlite").path)
        } throws: { error in
            guard case StorageError.unavailable = error else { return false }
            return true
        }
    }

    @Test func methods_beforeMigrate_throwStorageErrorNotCrash() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStorage(path: path)

        #expect(throws: StorageError.self) { try store.token(hash: "x") }
        #expect(throws: StorageError.self) { try store.createUser(newUser()) }
    }

    /// Issuing a token appends to this index instead of landing on a random leaf: within
    /// a client and user, entries follow the time-ordered family id.
    @Test func migrate_tokenIndexByClientAndUser_endsWithTheFamily() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStorage(path: path)
        try store.migrate()

        let columns = try store.pool.read { connection throws(StorageError) in
            try connection.query("SELECT name FROM pragma_index_info('tokens_client_user')") {
                row in row.text(0)
            }
        }

        #expect(columns == ["client_row_id", "user_id", "family_id"])
    }

    /// What kill -9 leaves behind is the files as they are while the process still has
    /// them open. A copy of those files, taken right after the call returns and without
    /// closing or checkpointing anything, must already hold the token.
    @Test func storeToken_returned_isInTheFilesBeforeAnyClose() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStorage(path: path)
        try store.migrate()
        let user = try store.createUser(newUser())
        let client = try store.createClient(newClient(owner: user.id))

        try store.storeToken(token("durable", client: client.id, user: user.id))

        let crashCopy = folder.appendingPathComponent("crash-copy/latchkey.db").path
        try FileManager.default.createDirectory(
            atPath: (crashCopy as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.copyItem(atPath: path + suffix, toPath: crashCopy + suffix)
        }
        let recovered = try SQLiteStorage(path: crashCopy)
        #expect(try recovered.token(hash: "durable")?.userID == user.id)
        #expect(try store.token(hash: "durable") != nil)
    }
}
