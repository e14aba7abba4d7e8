import Foundation
import LatchkeyStorage
import TestThreads
import Testing

@Suite(.onBlockingThreads) struct GrantStorageTests {
    @Test(arguments: StorageBackend.all)
    func recordGrant_new_isReadable(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)

        try seeded.store.recordGrant(
            userID: seeded.user.id, clientRowID: seeded.client.id, scopes: ["read", "write"],
            at: at(5))

        let grant = try seeded.store.grant(userID: seeded.user.id, clientRowID: seeded.client.id)
        #expect(
            grant
                == Grant(
                    userID: seeded.user.id, clientRowID: seeded.client.id,
                    scopes: ["read", "write"], createdAt: at(5), lastUsedAt: nil))
    }

    @Test(arguments: StorageBackend.all)
    func recordGrant_again_widensToUnionAndKeepsCreation(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let (user, client) = (seeded.user.id, seeded.client.id)

        try seeded.store.recordGrant(
            userID: user, clientRowID: client, scopes: ["b", "a"], at: at(1))
        try seeded.store.recordGrant(
            userID: user, clientRowID: client, scopes: ["c", "a"], at: at(2))
        try seeded.store.recordGrant(userID: user, clientRowID: client, scopes: [], at: at(3))

        let grant = try #require(try seeded.store.grant(userID: user, clientRowID: client))
        #expect(grant.scopes == ["b", "a", "c"])
        #expect(grant.createdAt == at(1))
        #expect(try seeded.store.grants(userID: user).count == 1)
    }

    @Test(arguments: StorageBackend.all)
    func recordGrant_unknownUserOrClient_throwsAndStoresNothing(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)

        #expect(throws: StorageError.self) {
            try seeded.store.recordGrant(
                userID: 9_999, clientRowID: seeded.client.id, scopes: ["r"], at: epoch)
        }
        #expect(throws: StorageError.self) {
            try seeded.store.recordGrant(
                userID: seeded.user.id, clientRowID: 9_999, scopes: ["r"], at: epoch)
        }
        #expect(try seeded.store.grants(userID: seeded.user.id) == [])
    }

    @Test(arguments: StorageBackend.all)
    func grants_severalClients_listsOnlyThatUsersOldestFirst(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let second = try seeded.store.createClient(newClient("client-2"))
        let bob = try seeded.store.createUser(newUser("bob"))
        try seeded.store.recordGrant(
            userID: seeded.user.id, clientRowID: second.id, scopes: ["x"], at: at(1))
        try seeded.store.recordGrant(
            userID: seeded.user.id, clientRowID: seeded.client.id, scopes: ["y"], at: at(2))
        try seeded.store.recordGrant(
            userID: bob.id, clientRowID: second.id, scopes: ["z"], at: at(3))

        let grants = try seeded.store.grants(userID: seeded.user.id)

        #expect(grants.map(\.clientRowID) == [second.id, seeded.client.id])
        #expect(grants.map(\.scopes) == [["x"], ["y"]])
        #expect(try seeded.store.grants(userID: 12_345) == [])
        #expect(try seeded.store.grant(userID: bob.id, clientRowID: seeded.client.id) == nil)
    }

    @Test(arguments: StorageBackend.all)
    func revokeGrant_deletesGrantCodesAndRevokesTokensOfThatPairOnly(backend: StorageBackend)
        throws
    {
        let seeded = try Seeded(backend)
        let (user, client) = (seeded.user.id, seeded.client.id)
        let bob = try seeded.store.createUser(newUser("bob"))
        try seeded.store.recordGrant(userID: user, clientRowID: client, scopes: ["r"], at: epoch)
        try seeded.store.recordGrant(userID: bob.id, clientRowID: client, scopes: ["r"], at: epoch)
        try seeded.store.storeCode(code("alice-code", client: client, user: user))
        try seeded.store.storeCode(code("bob-code", client: client, user: bob.id))
        try seeded.store.storeToken(token("alice-access", client: client, user: user))
        try seeded.store.storeToken(
            token("alice-refresh", client: client, user: user, kind: .refresh, expiresAt: nil))
        try seeded.store.storeToken(token("bob-access", client: client, user: bob.id))

        try seeded.store.revokeGrant(userID: user, clientRowID: client, at: at(10))

        #expect(try seeded.store.grant(userID: user, clientRowID: client) == nil)
        #expect(try seeded.store.token(hash: "alice-access")?.revokedAt == at(10))
        #expect(try seeded.store.token(hash: "alice-refresh")?.revokedAt == at(10))
        #expect(try seeded.store.redeemCode(hash: "alice-code", at: at(11)) == .notFound)
        #expect(try seeded.store.grant(userID: bob.id, clientRowID: client) != nil)
        #expect(try seeded.store.token(hash: "bob-access")?.revokedAt == nil)
        guard case .redeemed = try seeded.store.redeemCode(hash: "bob-code", at: at(11)) else {
            Issue.record("bob's code should be untouched")
            return
        }
    }

    @Test(arguments: StorageBackend.all)
    func revokeGrant_keepsEarlierRevocationTime(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let (user, client) = (seeded.user.id, seeded.client.id)
        try seeded.store.storeToken(token("old", client: client, user: user))
        try seeded.store.revokeToken(hash: "old", at: at(1))

        try seeded.store.revokeGrant(userID: user, clientRowID: client, at: at(50))

        #expect(try seeded.store.token(hash: "old")?.revokedAt == at(1))
    }

    @Test(arguments: StorageBackend.all)
    func touchGrant_firstUse_recordsTime(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let (user, client) = (seeded.user.id, seeded.client.id)
        try seeded.store.recordGrant(userID: user, clientRowID: client, scopes: ["r"], at: epoch)

        try seeded.store.touchGrant(userID: user, clientRowID: client, at: at(100)).wait()

        #expect(try seeded.store.grant(userID: user, clientRowID: client)?.lastUsedAt == at(100))
    }

    @Test(arguments: StorageBackend.all)
    func touchGrant_withinAMinute_mayBeCoalescedButNeverGoesBack(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let (user, client) = (seeded.user.id, seeded.client.id)
        try seeded.store.recordGrant(userID: user, clientRowID: client, scopes: ["r"], at: epoch)
        try seeded.store.touchGrant(userID: user, clientRowID: client, at: at(100)).wait()

        try seeded.store.touchGrant(userID: user, clientRowID: client, at: at(130)).wait()
        let coalesced = try seeded.store.grant(userID: user, clientRowID: client)?.lastUsedAt
        try seeded.store.touchGrant(userID: user, clientRowID: client, at: at(50)).wait()
        let afterEarlier = try seeded.store.grant(userID: user, clientRowID: client)?.lastUsedAt
        try seeded.store.touchGrant(userID: user, clientRowID: client, at: at(200)).wait()
        let later = try seeded.store.grant(userID: user, clientRowID: client)?.lastUsedAt

        #expect(coalesced == at(100) || coalesced == at(130))
        #expect(afterEarlier == coalesced)
        #expect(later == at(200))
    }

    @Test(arguments: StorageBackend.all)
    func touchGrant_noGrant_createsNothing(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)

        try seeded.store.touchGrant(
            userID: seeded.user.id, clientRowID: seeded.client.id, at: epoch
        ).wait()

        #expect(try seeded.store.grants(userID: seeded.user.id) == [])
    }
}

extension GrantStorageTests {
    /// Consents recorded at once by several processes must all land: the widening is one
    /// atomic step, not a read and a later write.
    @Test(arguments: StorageBackend.all)
    func recordGrant_tenThreadsOnTwoHandles_keepsEveryScope(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let stores = [seeded.store, try seeded.fixture.openAnother()]
        let (user, client) = (seeded.user.id, seeded.client.id)
        let errors = Collected<String>()

        onThreads(10) { index in
            do {
                try stores[index % 2].recordGrant(
                    userID: user, clientRowID: client, scopes: ["shared", "scope-\(index)"],
                    at: at(Double(index)))
            } catch {
                errors.append("\(error)")
            }
        }

        #expect(errors.all == [])
        let grant = try #require(try seeded.store.grant(userID: user, clientRowID: client))
        #expect(Set(grant.scopes) == Set(["shared"] + (0..<10).map { "scope-\($0)" }))
        #expect(grant.scopes.count == 11)
    }
}
