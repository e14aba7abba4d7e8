import Foundation
import LatchkeyStorage
import TestThreads
import Testing

/// Signing keys, server secrets, and the OpenID Connect columns of migration 2.
@Suite(.onBlockingThreads) struct SigningKeyStorageTests {
    static func key(_ kid: String, _ algorithm: String = "RS256", createdAt: Date = epoch)
        -> StoredSigningKey
    {
        StoredSigningKey(
            kid: kid, algorithm: algorithm, publicKey: "MIIB-\(kid)",
            sealedPrivateKey: "sealed-\(kid)", createdAt: createdAt, retiredAt: nil)
    }

    @Test(arguments: StorageBackend.all)
    func addSigningKeys_firstStart_readBackOldestFirst(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()
        let store = fixture.store
        #expect(try store.signingKeys() == [])

        try store.addSigningKeys(
            [Self.key("b", "ES256", createdAt: at(5)), Self.key("a")], retiringOthersAt: nil)

        #expect(
            try store.signingKeys() == [Self.key("a"), Self.key("b", "ES256", createdAt: at(5))])
    }

    @Test(arguments: StorageBackend.all)
    func addSigningKeys_rotation_retiresEveryOlderKeyOnly(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()
        let store = fixture.store
        try store.addSigningKeys(
            [Self.key("old"), Self.key("old-ec", "ES256")], retiringOthersAt: nil)

        try store.addSigningKeys([Self.key("new", createdAt: at(60))], retiringOthersAt: at(60))

        let keys = try store.signingKeys()
        #expect(keys.map(\.kid) == ["old", "old-ec", "new"])
        #expect(keys.map(\.retiredAt) == [at(60), at(60), nil])
    }

    @Test(arguments: StorageBackend.all)
    func addSigningKeys_takenKid_isKidConflictAndStoresNothing(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()
        let store = fixture.store
        try store.addSigningKeys([Self.key("a")], retiringOthersAt: nil)

        #expect(throws: StorageError.conflict("kid")) {
            try store.addSigningKeys([Self.key("b"), Self.key("a")], retiringOthersAt: at(9))
        }
        #expect(try store.signingKeys() == [Self.key("a")])
    }

    @Test(arguments: StorageBackend.all)
    func deleteSigningKeys_dropsOnlyKeysRetiredBeforeTheCutoff(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()
        let store = fixture.store
        try store.addSigningKeys([Self.key("first")], retiringOthersAt: nil)
        try store.addSigningKeys([Self.key("second", createdAt: at(10))], retiringOthersAt: at(10))
        try store.addSigningKeys([Self.key("third", createdAt: at(20))], retiringOthersAt: at(20))

        #expect(try store.deleteSigningKeys(retiredBefore: at(15)) == 1)
        #expect(try store.signingKeys().map(\.kid) == ["second", "third"])
    }

    @Test(arguments: StorageBackend.all)
    func serverSecret_firstCandidateWinsForEveryLaterCaller(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()
        let store = fixture.store

        let first = try store.serverSecret(name: "oidc.subject", candidate: "one", at: epoch)
        let second = try store.serverSecret(name: "oidc.subject", candidate: "two", at: at(1))
        let other = try store.serverSecret(name: "other", candidate: "three", at: at(1))

        #expect([first, second, other] == ["one", "one", "three"])
    }

    @Test(arguments: StorageBackend.all)
    func openIDColumns_clientCodeAndToken_readBackEqual(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        var client = newClient("es-client")
        client.idTokenSigningAlgorithm = "ES256"
        var issued = code("code-auth-time", client: seeded.client.id, user: seeded.user.id)
        issued.authTime = at(-30)
        var stored = token("token-auth-time", client: seeded.client.id, user: seeded.user.id)
        stored.authTime = at(-30)

        let created = try seeded.store.createClient(client)
        try seeded.store.storeCode(issued)
        try seeded.store.storeToken(stored)

        #expect(seeded.client.idTokenSigningAlgorithm == "RS256")
        #expect(try seeded.store.client(id: created.id)?.idTokenSigningAlgorithm == "ES256")
        #expect(
            try seeded.store.redeemCode(hash: "code-auth-time", at: at(1))
                == .redeemed(
                    {
                        var used = issued; used.usedAt = at(1); return used
                    }()))
        #expect(try seeded.store.token(hash: "token-auth-time") == stored)
        #expect(try seeded.store.tokenWithUser(hash: "token-auth-time")?.user == seeded.user)
    }
}
