import Foundation
import LatchkeyStorage
import TestThreads
import Testing

@Suite(.onBlockingThreads) struct ClientStorageTests {
    @Test(arguments: StorageBackend.all)
    func createClient_new_isReadableByBothIDs(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let client = seeded.client

        #expect(client.clientID == "client-1")
        #expect(client.name == "App client-1")
        #expect(client.mainURL == "https://app.example/")
        #expect(client.callbackURLs == ["https://app.example/callback", "http://127.0.0.1/cb"])
        #expect(client.secretHash == "secret-hash-client-1")
        #expect(client.ownerUserID == seeded.user.id)
        #expect(client.grantTypes == ["authorization_code", "refresh_token"])
        #expect(client.defaultScopes == ["read"])
        #expect(client.allowedScopes == ["read", "write"])
        #expect(client.createdAt == epoch)
        #expect(try seeded.store.client(clientID: "client-1") == client)
        #expect(try seeded.store.client(id: client.id) == client)
    }

    @Test(arguments: StorageBackend.all)
    func createClient_publicWithoutOwner_keepsNils(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()
        var input = newClient("public-app")
        input.secretHash = nil
        input.defaultScopes = []

        let client = try fixture.store.createClient(input)

        #expect(client.isPublic)
        #expect(client.ownerUserID == nil)
        #expect(client.defaultScopes == [])
        #expect(try fixture.store.client(id: client.id) == client)
    }

    @Test(arguments: StorageBackend.all)
    func createClient_duplicateClientID_isClientIDConflict(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)

        #expect(throws: StorageError.conflict("client_id")) {
            try seeded.store.createClient(newClient("client-1"))
        }
        #expect(try seeded.store.clients().count == 1)
    }

    @Test(arguments: StorageBackend.all)
    func clientLookup_otherCaseOrUnknown_isNil(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)

        #expect(try seeded.store.client(clientID: "CLIENT-1") == nil)
        #expect(try seeded.store.client(clientID: "") == nil)
        #expect(try seeded.store.client(id: seeded.client.id + 1000) == nil)
    }

    @Test(arguments: StorageBackend.all)
    func clients_listAndByOwner_areInCreationOrder(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let bob = try seeded.store.createUser(newUser("bob"))
        let second = try seeded.store.createClient(newClient("client-2", owner: bob.id))
        let third = try seeded.store.createClient(newClient("client-3", owner: seeded.user.id))
        let orphan = try seeded.store.createClient(newClient("client-4"))

        #expect(try seeded.store.clients() == [seeded.client, second, third, orphan])
        #expect(try seeded.store.clients(ownedBy: seeded.user.id) == [seeded.client, third])
        #expect(try seeded.store.clients(ownedBy: bob.id) == [second])
        #expect(try seeded.store.clients(ownedBy: 424_242) == [])
    }

    @Test(arguments: StorageBackend.all)
    func updateClient_changedFields_areStoredButSecretAndOwnerKept(backend: StorageBackend)
        throws
    {
        let seeded = try Seeded(backend)
        var changed = seeded.client
        changed.name = "Renamed"
        changed.mainURL = "https://renamed.example/"
        changed.callbackURLs = ["https://renamed.example/b", "https://renamed.example/a"]
        changed.grantTypes = ["client_credentials"]
        changed.defaultScopes = ["a", "b"]
        changed.allowedScopes = ["a", "b", "c"]
        changed.secretHash = "ignored by updateClient"
        changed.ownerUserID = nil

        try seeded.store.updateClient(changed)

        var expected = changed
        expected.secretHash = seeded.client.secretHash
        expected.ownerUserID = seeded.client.ownerUserID
        #expect(try seeded.store.client(id: seeded.client.id) == expected)
    }

    @Test(arguments: StorageBackend.all)
    func updateClientSecret_newAndNil_areStored(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)

        try seeded.store.updateClientSecret(id: seeded.client.id, secretHash: "rotated")
        #expect(try seeded.store.client(id: seeded.client.id)?.secretHash == "rotated")

        try seeded.store.updateClientSecret(id: seeded.client.id, secretHash: nil)
        #expect(try seeded.store.client(id: seeded.client.id)?.isPublic == true)
    }

    @Test(arguments: StorageBackend.all)
    func replaceClientSecret_whileStillExpected_isStored(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let current = try #require(seeded.client.secretHash)

        let replaced = try seeded.store.replaceClientSecret(
            id: seeded.client.id, expected: current, with: "keyed")

        #expect(replaced)
        #expect(try seeded.store.client(id: seeded.client.id)?.secretHash == "keyed")
    }

    /// A secret rotated between reading the row and replacing its hash stays rotated.
    @Test(arguments: StorageBackend.all)
    func replaceClientSecret_afterAnotherChange_leavesTheRowAlone(backend: StorageBackend)
        throws
    {
        let seeded = try Seeded(backend)
        let before = try #require(seeded.client.secretHash)
        try seeded.store.updateClientSecret(id: seeded.client.id, secretHash: "rotated")

        let replaced = try seeded.store.replaceClientSecret(
            id: seeded.client.id, expected: before, with: "keyed")

        #expect(!replaced)
        #expect(try seeded.store.client(id: seeded.client.id)?.secretHash == "rotated")
    }

    @Test(arguments: StorageBackend.all)
    func createClient_hostileCallbacks_readBackUnchangedInOrder(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()
        var input = newClient("c'\"; --")
        input.callbackURLs = [
            "https://z.example/cb?x=\"quoted\"&y='single'",
            "https://a.example/\\back\\slash/",
            "myapp://callback/ünïcødé/😀",
            "[\"not\",\"json\"]",
            "https://" + String(repeating: "long.", count: 2_100),
        ]
        input.name = String(repeating: "Ω'\"", count: 3_500)

        let client = try fixture.store.createClient(input)
        let readBack = try #require(try fixture.store.client(clientID: "c'\"; --"))

        #expect(readBack == client)
        #expect(readBack.callbackURLs == input.callbackURLs)
        #expect(readBack.name == input.name)
    }

    @Test(arguments: StorageBackend.all)
    func deleteClient_removesItsGrantsCodesAndTokensOnly(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let other = try seeded.store.createClient(newClient("client-2"))
        let (user, client) = (seeded.user.id, seeded.client.id)
        try seeded.store.recordGrant(userID: user, clientRowID: client, scopes: ["r"], at: epoch)
        try seeded.store.recordGrant(userID: user, clientRowID: other.id, scopes: ["r"], at: epoch)
        try seeded.store.storeCode(code("code-a", client: client, user: user))
        try seeded.store.storeCode(code("code-b", client: other.id, user: user))
        try seeded.store.storeToken(token("token-a", client: client, user: user))
        try seeded.store.storeToken(token("token-app", client: client, user: nil))
        try seeded.store.storeToken(token("token-b", client: other.id, user: user))

        try seeded.store.deleteClient(id: client)

        #expect(try seeded.store.client(id: client) == nil)
        #expect(try seeded.store.client(clientID: "client-1") == nil)
        #expect(try seeded.store.grant(userID: user, clientRowID: client) == nil)
        #expect(try seeded.store.redeemCode(hash: "code-a", at: epoch) == .notFound)
        #expect(try seeded.store.token(hash: "token-a") == nil)
        #expect(try seeded.store.token(hash: "token-app") == nil)
        #expect(try seeded.store.client(id: other.id) == other)
        #expect(try seeded.store.grant(userID: user, clientRowID: other.id) != nil)
        #expect(try seeded.store.token(hash: "token-b") != nil)
        guard case .redeemed = try seeded.store.redeemCode(hash: "code-b", at: epoch) else {
            Issue.record("the other client's code should still be redeemable")
            return
        }
    }

    @Test(arguments: StorageBackend.all)
    func deleteClient_unknownID_changesNothing(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)

        try seeded.store.deleteClient(id: seeded.client.id + 1000)

        #expect(try seeded.store.clients() == [seeded.client])
    }
}
