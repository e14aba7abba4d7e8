import Foundation
import LatchkeyStorage
import TestThreads
import Testing

@Suite(.onBlockingThreads) struct PersistenceStorageTests {
    @Test(arguments: StorageBackend.all)
    func anotherHandle_afterWrites_seesEveryCommittedRow(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        try seeded.store.storeToken(token("t", client: seeded.client.id, user: seeded.user.id))
        try seeded.store.recordGrant(
            userID: seeded.user.id, clientRowID: seeded.client.id, scopes: ["r"], at: epoch)

        let reopened = try seeded.fixture.openAnother()

        #expect(try reopened.user(id: seeded.user.id) == seeded.user)
        #expect(try reopened.client(clientID: "client-1") == seeded.client)
        #expect(try reopened.token(hash: "t")?.clientRowID == seeded.client.id)
        #expect(try reopened.grant(userID: seeded.user.id, clientRowID: seeded.client.id) != nil)
        try reopened.ping()
    }

    @Test(arguments: StorageBackend.all)
    func ping_openStore_succeeds(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()

        try fixture.store.ping()
    }
}
