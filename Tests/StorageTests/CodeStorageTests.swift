import Foundation
import LatchkeyStorage
import TestThreads
import Testing

@Suite(.onBlockingThreads) struct CodeStorageTests {
    @Test(arguments: StorageBackend.all)
    func redeemCode_first_isRedeemedWithEveryFieldAndUseTime(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let stored = code("hash-1", client: seeded.client.id, user: seeded.user.id)
        try seeded.store.storeCode(stored)

        let result = try seeded.store.redeemCode(hash: "hash-1", at: at(10))

        var expected = stored
        expected.usedAt = at(10)
        #expect(result == .redeemed(expected))
    }

    @Test(arguments: StorageBackend.all)
    func redeemCode_twice_isReplayedWithFirstUseTime(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let stored = code("hash-1", client: seeded.client.id, user: seeded.user.id)
        try seeded.store.storeCode(stored)
        _ = try seeded.store.redeemCode(hash: "hash-1", at: at(10))

        let result = try seeded.store.redeemCode(hash: "hash-1", at: at(20))

        var expected = stored
        expected.usedAt = at(10)
        #expect(result == .replayed(expected))
        #expect(try seeded.store.redeemCode(hash: "hash-1", at: at(30)) == .replayed(expected))
    }

    @Test(arguments: StorageBackend.all, ["unknown", "", "HASH-1", "hash-1 ", "' OR 1=1 --"])
    func redeemCode_unknownHash_isNotFound(backend: StorageBackend, hash: String) throws {
        let seeded = try Seeded(backend)
        try seeded.store.storeCode(code("hash-1", client: seeded.client.id, user: seeded.user.id))

        #expect(try seeded.store.redeemCode(hash: hash, at: at(10)) == .notFound)
    }

    @Test(arguments: StorageBackend.all)
    func storeCode_optionalFieldsNil_readBackNil(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        var stored = code("hash-1", client: seeded.client.id, user: seeded.user.id)
        stored.redirectURI = nil
        stored.codeChallenge = nil
        stored.codeChallengeMethod = nil
        stored.nonce = nil
        stored.scopes = []
        try seeded.store.storeCode(stored)

        let result = try seeded.store.redeemCode(hash: "hash-1", at: at(1))

        stored.usedAt = at(1)
        #expect(result == .redeemed(stored))
    }

    @Test(arguments: StorageBackend.all)
    func storeCode_duplicateHash_isCodeHashConflict(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        try seeded.store.storeCode(code("hash-1", client: seeded.client.id, user: seeded.user.id))

        #expect(throws: StorageError.conflict("code_hash")) {
            try seeded.store.storeCode(
                code("hash-1", client: seeded.client.id, user: seeded.user.id))
        }
    }

    @Test(arguments: StorageBackend.all)
    func storeCode_unknownClient_throwsAndStoresNothing(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)

        #expect(throws: StorageError.self) {
            try seeded.store.storeCode(code("hash-1", client: 9_999, user: seeded.user.id))
        }
        #expect(try seeded.store.redeemCode(hash: "hash-1", at: epoch) == .notFound)
    }

    /// The consent page's "allow": the code and the grant land together.
    @Test(arguments: StorageBackend.all)
    func storeCodeRecordingGrant_storesTheCodeAndWidensTheGrant(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let (user, client) = (seeded.user.id, seeded.client.id)
        var first = code("hash-1", client: client, user: user)
        first.scopes = ["read"]
        var second = code("hash-2", client: client, user: user)
        second.scopes = ["write", "read"]

        try seeded.store.storeCode(first, recordingGrantAt: at(1))
        #expect(try seeded.store.grant(userID: user, clientRowID: client)?.scopes == ["read"])
        try seeded.store.storeCode(second, recordingGrantAt: at(2))

        let grant = try #require(try seeded.store.grant(userID: user, clientRowID: client))
        #expect(grant.scopes == ["read", "write"])
        #expect(grant.createdAt == at(1))
        first.usedAt = at(3)
        #expect(try seeded.store.redeemCode(hash: "hash-1", at: at(3)) == .redeemed(first))
        second.usedAt = at(3)
        #expect(try seeded.store.redeemCode(hash: "hash-2", at: at(3)) == .redeemed(second))
    }

    /// A code that cannot be stored leaves no consent behind: the user's account page
    /// must not list an application that never got a code.
    @Test(arguments: StorageBackend.all)
    func storeCodeRecordingGrant_duplicateHash_recordsNoGrant(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let other = try seeded.store.createUser(newUser("bob"))
        try seeded.store.storeCode(code("hash-1", client: seeded.client.id, user: other.id))

        #expect(throws: StorageError.conflict("code_hash")) {
            try seeded.store.storeCode(
                code("hash-1", client: seeded.client.id, user: seeded.user.id),
                recordingGrantAt: at(1))
        }

        #expect(
            try seeded.store.grant(userID: seeded.user.id, clientRowID: seeded.client.id) == nil)
        #expect(try seeded.store.grants(userID: seeded.user.id) == [])
    }

    /// Half the threads use a second handle, so that not only this process's write
    /// lock but the conditional update itself must pick the single winner.
    @Test(arguments: StorageBackend.all)
    func redeemCode_sameCodeOnSixteenThreadsAndTwoHandles_exactlyOneRedeems(
        backend: StorageBackend
    ) throws {
        let seeded = try Seeded(backend)
        let stores = [seeded.store, try seeded.fixture.openAnother()]
        try seeded.store.storeCode(
            code("contested", client: seeded.client.id, user: seeded.user.id))
        let outcomes = Collected<String>()

        onThreads(16) { index in
            do {
                let store = stores[index % 2]
                switch try store.redeemCode(hash: "contested", at: at(Double(index))) {
                case .redeemed: outcomes.append("redeemed")
                case .replayed: outcomes.append("replayed")
                case .notFound: outcomes.append("notFound")
                }
            } catch {
                outcomes.append("error: \(error)")
            }
        }

        #expect(outcomes.all.count == 16)
        #expect(outcomes.all.filter { $0 == "redeemed" }.count == 1)
        #expect(outcomes.all.filter { $0 == "replayed" }.count == 15)
    }
}
