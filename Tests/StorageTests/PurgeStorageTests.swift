import Foundation
import LatchkeyStorage
import TestThreads
import Testing

@Suite(.onBlockingThreads) struct PurgeStorageTests {
    static let day: TimeInterval = 86_400

    @Test(arguments: StorageBackend.all)
    func purgeExpired_mixedRows_deletesExactlyTheStaleOnes(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let store = seeded.store
        let (client, user) = (seeded.client.id, seeded.user.id)
        let now = at(10 * Self.day)

        // Codes: unused past expiry go at once; used ones are kept a day past expiry so
        // that a replay is still recognised.
        try store.storeCode(code("unused-expired", client: client, user: user, expiresIn: 60))
        var usedRecent = code("used-recent", client: client, user: user)
        usedRecent.expiresAt = now.addingTimeInterval(-60)
        try store.storeCode(usedRecent)
        _ = try store.redeemCode(hash: "used-recent", at: at(1))
        try store.storeCode(code("live", client: client, user: user, expiresIn: 20 * Self.day))
        var usedOld = code("used-old", client: client, user: user)
        usedOld.expiresAt = now.addingTimeInterval(-2 * Self.day)
        try store.storeCode(usedOld)
        _ = try store.redeemCode(hash: "used-old", at: at(1))
        var usedDayOld = code("used-day-old", client: client, user: user)
        usedDayOld.expiresAt = now.addingTimeInterval(-Self.day + 1)
        try store.storeCode(usedDayOld)
        _ = try store.redeemCode(hash: "used-day-old", at: at(1))

        // Tokens: kept until a day after expiry or revocation.
        try store.storeToken(
            token(
                "expired-old", client: client, user: user,
                expiresAt: now.addingTimeInterval(-2 * Self.day)))
        try store.storeToken(
            token(
                "expired-recent", client: client, user: user, expiresAt: now.addingTimeInterval(-60)
            ))
        try store.storeToken(token("forever", client: client, user: user, expiresAt: nil))
        try store.storeToken(token("revoked-old", client: client, user: user, expiresAt: nil))
        try store.revokeToken(hash: "revoked-old", at: now.addingTimeInterval(-2 * Self.day))
        try store.storeToken(token("revoked-recent", client: client, user: user, expiresAt: nil))
        try store.revokeToken(hash: "revoked-recent", at: now.addingTimeInterval(-60))

        // Sessions go at expiry; failures after a day.
        try store.createSession(
            Session(
                idHash: "s-old", userID: user, csrfSecret: "c", createdAt: epoch, expiresAt: now))
        try store.createSession(
            Session(
                idHash: "s-live", userID: user, csrfSecret: "c", createdAt: epoch,
                expiresAt: now.addingTimeInterval(60)))
        _ = try store.recordLoginFailure(
            keys: ["k"], at: now.addingTimeInterval(-2 * Self.day), window: 60)
        _ = try store.recordLoginFailure(keys: ["k"], at: now.addingTimeInterval(-60), window: 60)

        let deleted = try store.purgeExpired(at: now)

        #expect(deleted == 6)
        #expect(try store.redeemCode(hash: "unused-expired", at: now) == .notFound)
        #expect(try store.redeemCode(hash: "used-old", at: now) == .notFound)
        #expect(try isReplayed(store.redeemCode(hash: "used-recent", at: now)))
        #expect(try isReplayed(store.redeemCode(hash: "used-day-old", at: now)))
        #expect(try !isReplayed(store.redeemCode(hash: "live", at: now)))
        #expect(try store.token(hash: "expired-old") == nil)
        #expect(try store.token(hash: "revoked-old") == nil)
        #expect(try store.token(hash: "expired-recent") != nil)
        #expect(try store.token(hash: "revoked-recent") != nil)
        #expect(try store.token(hash: "forever") != nil)
        #expect(try store.session(idHash: "s-live", at: now) != nil)
        #expect(try store.loginFailures(key: "k", at: now, window: 3 * Self.day) == 1)
        #expect(try store.purgeExpired(at: now) == 0)
    }

    @Test(arguments: StorageBackend.all)
    func purgeExpired_moreRowsThanOneBatch_deletesAll(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let failureTimes = (0..<1_203).map { _ in "k" }
        _ = try seeded.store.recordLoginFailure(keys: failureTimes, at: epoch, window: 60)

        let deleted = try seeded.store.purgeExpired(at: at(2 * Self.day))

        #expect(deleted == 1_203)
        #expect(try seeded.store.loginFailures(key: "k", at: epoch, window: 60) == 0)
    }

    @Test(arguments: StorageBackend.all)
    func purgeExpired_emptyStore_deletesNothing(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()

        #expect(try fixture.store.purgeExpired(at: epoch) == 0)
    }

    private func isReplayed(_ redemption: CodeRedemption) -> Bool {
        if case .replayed = redemption { return true }
        return false
    }
}
