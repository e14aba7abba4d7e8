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
