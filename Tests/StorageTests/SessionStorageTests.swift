import Foundation
import LatchkeyStorage
import TestThreads
import Testing

@Suite(.onBlockingThreads) struct SessionStorageTests {
    func session(_ hash: String, user: Int64, expiresAt: Date = at(3600)) -> Session {
        Session(
            idHash: hash, userID: user, csrfSecret: "csrf-\(hash)", createdAt: epoch,
            expiresAt: expiresAt)
    }

    @Test(arguments: StorageBackend.all)
    func session_beforeExpiry_isReturned(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let stored = session("s1", user: seeded.user.id)
        try seeded.store.createSession(stored)

        #expect(try seeded.store.session(idHash: "s1", at: epoch) == stored)
        #expect(try seeded.store.session(idHash: "s1", at: at(3599)) == stored)
    }

    @Test(arguments: StorageBackend.all, [3600.0, 3601.0, 1_000_000.0])
    func session_atOrAfterExpiry_isNil(backend: StorageBackend, seconds: Double) throws {
        let seeded = try Seeded(backend)
        try seeded.store.createSession(session("s1", user: seeded.user.id))

        #expect(try seeded.store.session(idHash: "s1", at: at(seconds)) == nil)
    }

    @Test(arguments: StorageBackend.all)
    func session_unknownHash_isNil(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        try seeded.store.createSession(session("s1", user: seeded.user.id))

        #expect(try seeded.store.session(idHash: "S1", at: epoch) == nil)
        #expect(try seeded.store.session(idHash: "", at: epoch) == nil)
    }

    @Test(arguments: StorageBackend.all)
    func createSession_duplicateHash_isIDHashConflict(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        try seeded.store.createSession(session("s1", user: seeded.user.id))

        #expect(throws: StorageError.conflict("id_hash")) {
            try seeded.store.createSession(session("s1", user: seeded.user.id))
        }
    }

    @Test(arguments: StorageBackend.all)
    func deleteSession_existing_removesOnlyIt(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        try seeded.store.createSession(session("s1", user: seeded.user.id))
        try seeded.store.createSession(session("s2", user: seeded.user.id))

        try seeded.store.deleteSession(idHash: "s1")
        try seeded.store.deleteSession(idHash: "never-existed")

        #expect(try seeded.store.session(idHash: "s1", at: epoch) == nil)
        #expect(try seeded.store.session(idHash: "s2", at: epoch) != nil)
    }
}
