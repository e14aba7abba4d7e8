import Foundation
import LatchkeyStorage
import TestThreads
import Testing

@Suite(.onBlockingThreads) struct RefreshRotationStorageTests {
    private func refresh(_ hash: String, _ seeded: Seeded) -> Token {
        token(hash, client: seeded.client.id, user: seeded.user.id, kind: .refresh)
    }

    private func access(_ hash: String, _ seeded: Seeded) -> Token {
        token(hash, client: seeded.client.id, user: seeded.user.id)
    }

    @Test(arguments: StorageBackend.all)
    func storeTokens_pair_storesBoth(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)

        try seeded.store.storeTokens([access("a1", seeded), refresh("r1", seeded)])

        #expect(try seeded.store.token(hash: "a1")?.kind == .access)
        #expect(try seeded.store.token(hash: "r1")?.kind == .refresh)
    }

    @Test(arguments: StorageBackend.all)
    func storeTokens_oneConflict_storesNone(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        try seeded.store.storeToken(access("taken", seeded))

        #expect(throws: StorageError.conflict("token_hash")) {
            try seeded.store.storeTokens([refresh("fresh", seeded), access("taken", seeded)])
        }
        #expect(try seeded.store.token(hash: "fresh") == nil)
    }

    @Test(arguments: StorageBackend.all)
    func rotateRefreshToken_active_revokesItAndStoresReplacements(backend: StorageBackend)
        throws
    {
        let seeded = try Seeded(backend)
        try seeded.store.storeTokens([access("a1", seeded), refresh("r1", seeded)])

        let outcome = try seeded.store.rotateRefreshToken(
            hash: "r1", replacements: [access("a2", seeded), refresh("r2", seeded)], at: at(10))

        guard case .rotated(let old) = outcome else {
            Issue.record("expected rotated, got \(outcome)")
            return
        }
        #expect(old.tokenHash == "r1")
        #expect(try seeded.store.token(hash: "r1")?.revokedAt == at(10))
        #expect(try seeded.store.token(hash: "r2")?.revokedAt == nil)
        #expect(try seeded.store.token(hash: "a2")?.revokedAt == nil)
    }

    @Test(arguments: StorageBackend.all)
    func rotateRefreshToken_twice_isReusedAndStoresNothing(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        try seeded.store.storeToken(refresh("r1", seeded))
        _ = try seeded.store.rotateRefreshToken(
            hash: "r1", replacements: [refresh("r2", seeded)], at: at(10))

        let second = try seeded.store.rotateRefreshToken(
            hash: "r1", replacements: [refresh("r3", seeded)], at: at(20))

        guard case .reused(let spent) = second else {
            Issue.record("expected reused, got \(second)")
            return
        }
        #expect(spent.revokedAt == at(10))
        #expect(try seeded.store.token(hash: "r3") == nil)
    }

    @Test(arguments: StorageBackend.all)
    func rotateRefreshToken_accessTokenOrUnknown_isNotFound(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        try seeded.store.storeToken(access("a1", seeded))

        for hash in ["a1", "missing"] {
            let outcome = try seeded.store.rotateRefreshToken(
                hash: hash, replacements: [refresh("new-\(hash)", seeded)], at: at(1))
            #expect(outcome == .notFound)
            #expect(try seeded.store.token(hash: "new-\(hash)") == nil)
        }
        #expect(try seeded.store.token(hash: "a1")?.revokedAt == nil)
    }

    @Test(arguments: StorageBackend.all)
    func rotateRefreshToken_twentyThreadsAtOnce_exactlyOneRotates(backend: StorageBackend)
        throws
    {
        let seeded = try Seeded(backend)
        try seeded.store.storeToken(refresh("contested", seeded))
        let stores = [seeded.store, try seeded.fixture.openAnother()]
        let outcomes = Collected<String>()
        let client = seeded.client.id
        let user = seeded.user.id

        onThreads(20) { index in
            do {
                let replacement = token(
                    "next-\(index)", client: client, user: user, kind: .refresh)
                switch try stores[index % 2].rotateRefreshToken(
                    hash: "contested", replacements: [replacement], at: at(Double(index)))
                {
                case .rotated: outcomes.append("rotated")
                case .reused: outcomes.append("reused")
                case .notFound: outcomes.append("notFound")
                }
            } catch {
                outcomes.append("error: \(error)")
            }
        }

        #expect(outcomes.all.filter { $0 == "rotated" }.count == 1)
        #expect(outcomes.all.filter { $0 == "reused" }.count == 19)
        let stored = try (0..<20).filter { try seeded.store.token(hash: "next-\($0)") != nil }
        #expect(stored.count == 1)
    }
}
