import Foundation
import LatchkeyStorage
import TestThreads
import Testing

@Suite(.onBlockingThreads) struct TokenStorageTests {
    @Test(arguments: StorageBackend.all)
    func storeToken_allFields_readBackEqual(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let stored = Token(
            tokenHash: "abc123", kind: .refresh, clientRowID: seeded.client.id,
            userID: seeded.user.id, scopes: ["read", "write", "openid"], createdAt: at(1),
            expiresAt: at(7200), revokedAt: at(5), codeHash: "code-hash", familyID: "fam")

        try seeded.store.storeToken(stored)

        #expect(try seeded.store.token(hash: "abc123") == stored)
    }

    @Test(arguments: StorageBackend.all)
    func storeToken_clientTokenWithoutExpiry_readsBackNils(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let stored = token("legacy", client: seeded.client.id, user: nil, expiresAt: nil)

        try seeded.store.storeToken(stored)

        let readBack = try #require(try seeded.store.token(hash: "legacy"))
        #expect(readBack == stored)
        #expect(readBack.isActive(at: at(1_000_000_000)))
    }

    @Test(arguments: StorageBackend.all)
    func storeToken_duplicateHash_isTokenHashConflict(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        try seeded.store.storeToken(token("dup", client: seeded.client.id, user: seeded.user.id))

        #expect(throws: StorageError.conflict("token_hash")) {
            try seeded.store.storeToken(token("dup", client: seeded.client.id, user: nil))
        }
        #expect(try seeded.store.token(hash: "dup")?.userID == seeded.user.id)
    }

    @Test(arguments: StorageBackend.all, ["missing", "", "ABC", "abc%", "' OR ''='"])
    func token_unknownHash_isNil(backend: StorageBackend, hash: String) throws {
        let seeded = try Seeded(backend)
        try seeded.store.storeToken(token("abc", client: seeded.client.id, user: seeded.user.id))

        #expect(try seeded.store.token(hash: hash) == nil)
    }

    @Test(arguments: StorageBackend.all)
    func revokeToken_activeThenAgain_trueThenFalseKeepingFirstTime(backend: StorageBackend)
        throws
    {
        let seeded = try Seeded(backend)
        try seeded.store.storeToken(token("t", client: seeded.client.id, user: seeded.user.id))

        #expect(try seeded.store.revokeToken(hash: "t", at: at(10)) == true)
        #expect(try seeded.store.revokeToken(hash: "t", at: at(20)) == false)
        #expect(try seeded.store.revokeToken(hash: "nope", at: at(20)) == false)
        #expect(try seeded.store.token(hash: "t")?.revokedAt == at(10))
        #expect(try seeded.store.token(hash: "t")?.isActive(at: at(11)) == false)
    }

    @Test(arguments: StorageBackend.all)
    func revokeTokensIssuedFromCode_revokesOnlyThatCodesTokens(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let (client, user) = (seeded.client.id, seeded.user.id)
        try seeded.store.storeToken(token("a1", client: client, user: user, codeHash: "code-a"))
        try seeded.store.storeToken(
            token("a2", client: client, user: user, kind: .refresh, codeHash: "code-a"))
        try seeded.store.storeToken(token("b1", client: client, user: user, codeHash: "code-b"))
        try seeded.store.storeToken(token("none", client: client, user: user))

        try seeded.store.revokeTokens(issuedFromCode: "code-a", at: at(9))

        #expect(try seeded.store.token(hash: "a1")?.revokedAt == at(9))
        #expect(try seeded.store.token(hash: "a2")?.revokedAt == at(9))
        #expect(try seeded.store.token(hash: "b1")?.revokedAt == nil)
        #expect(try seeded.store.token(hash: "none")?.revokedAt == nil)
    }

    @Test(arguments: StorageBackend.all)
    func revokeTokensFamily_revokesWholeFamilyOnly(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let (client, user) = (seeded.client.id, seeded.user.id)
        try seeded.store.storeToken(token("f1", client: client, user: user, family: "fam-1"))
        try seeded.store.storeToken(
            token("f2", client: client, user: user, kind: .refresh, family: "fam-1"))
        try seeded.store.storeToken(token("g1", client: client, user: user, family: "fam-2"))
        try seeded.store.revokeToken(hash: "f2", at: at(1))

        try seeded.store.revokeTokens(familyID: "fam-1", at: at(7))
        try seeded.store.revokeTokens(familyID: "no-such-family", at: at(8))

        #expect(try seeded.store.token(hash: "f1")?.revokedAt == at(7))
        #expect(try seeded.store.token(hash: "f2")?.revokedAt == at(1))
        #expect(try seeded.store.token(hash: "g1")?.revokedAt == nil)
    }

    @Test(arguments: StorageBackend.all)
    func storeToken_eightThreadsOf500_allStoredWithoutError(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let store = seeded.store
        let (client, user) = (seeded.client.id, seeded.user.id)
        let errors = Collected<String>()

        onThreads(8) { thread in
            for index in 0..<500 {
                do {
                    try store.storeToken(token("t-\(thread)-\(index)", client: client, user: user))
                } catch {
                    errors.append("\(error)")
                }
            }
        }

        #expect(errors.all == [])
        for thread in 0..<8 {
            for index in [0, 250, 499] {
                #expect(try store.token(hash: "t-\(thread)-\(index)") != nil)
            }
        }
        var missing = 0
        for thread in 0..<8 {
            for index in 0..<500 where try store.token(hash: "t-\(thread)-\(index)") == nil {
                missing += 1
            }
        }
        #expect(missing == 0)
    }

    @Test(arguments: StorageBackend.all)
    func writes_fromTwoIndependentHandlesAtOnce_allSucceedAndAreVisibleToBoth(
        backend: StorageBackend
    ) throws {
        let seeded = try Seeded(backend)
        let first = seeded.store
        let second = try seeded.fixture.openAnother()
        let (client, user) = (seeded.client.id, seeded.user.id)
        let errors = Collected<String>()

        onThreads(8) { thread in
            let store = thread.isMultiple(of: 2) ? first : second
            for index in 0..<100 {
                do {
                    try store.storeToken(token("p-\(thread)-\(index)", client: client, user: user))
                    if index.isMultiple(of: 10) {
                        try store.revokeToken(hash: "p-\(thread)-\(index)", at: at(1))
                    }
                } catch {
                    errors.append("\(error)")
                }
            }
        }

        #expect(errors.all == [])
        for thread in 0..<8 {
            #expect(try first.token(hash: "p-\(thread)-99") != nil)
            #expect(try second.token(hash: "p-\(thread)-0")?.revokedAt == at(1))
        }
    }

    /// Concurrent writes may share a transaction; one that fails must not take the others
    /// down with it, nor leave anything of itself behind.
    @Test(arguments: StorageBackend.all)
    func storeToken_concurrentDuplicates_failAloneWhileOthersCommit(backend: StorageBackend)
        throws
    {
        let seeded = try Seeded(backend)
        let store = seeded.store
        let (client, user) = (seeded.client.id, seeded.user.id)
        let outcomes = Collected<String>()

        onThreads(8) { thread in
            for index in 0..<100 {
                do {
                    try store.storeToken(
                        token("own-\(thread)-\(index)", client: client, user: user))
                    try store.storeToken(token("shared-\(index)", client: client, user: user))
                    outcomes.append("stored")
                } catch StorageError.conflict(let field) {
                    outcomes.append("conflict \(field)")
                } catch {
                    outcomes.append("error \(error)")
                }
            }
        }

        #expect(outcomes.all.filter { $0 == "stored" }.count == 100)
        #expect(outcomes.all.filter { $0 == "conflict token_hash" }.count == 700)
        #expect(outcomes.all.count == 800)
        var missing = 0
        for thread in 0..<8 {
            for index in 0..<100 where try store.token(hash: "own-\(thread)-\(index)") == nil {
                missing += 1
            }
        }
        #expect(missing == 0)
    }
}

@Suite(.onBlockingThreads) struct TokenWithUserStorageTests {
    @Test(arguments: StorageBackend.all)
    func tokenWithUser_userToken_returnsBoth(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let stored = token("with-user", client: seeded.client.id, user: seeded.user.id)
        try seeded.store.storeToken(stored)

        let found = try #require(try seeded.store.tokenWithUser(hash: "with-user"))
        #expect(found.token == stored)
        #expect(found.user == seeded.user)
    }

    @Test(arguments: StorageBackend.all)
    func tokenWithUser_clientToken_hasNoUser(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        try seeded.store.storeToken(token("client-only", client: seeded.client.id, user: nil))

        let found = try #require(try seeded.store.tokenWithUser(hash: "client-only"))
        #expect(found.token.userID == nil)
        #expect(found.user == nil)
        #expect(try seeded.store.tokenWithUser(hash: "missing") == nil)
    }
}

extension TokenStorageTests {
    /// Introspection reads the calling client and the token asked about together.
    @Test(arguments: StorageBackend.all)
    func clientAndToken_readTogether_asEachAlone(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let stored = token("both", client: seeded.client.id, user: seeded.user.id)
        try seeded.store.storeToken(stored)
        let clientID = seeded.client.clientID

        let both = try seeded.store.client(clientID: clientID, andToken: "both")
        #expect(both.client == seeded.client)
        #expect(both.token?.token == stored)
        #expect(both.token?.user == seeded.user)

        let noToken = try seeded.store.client(clientID: clientID, andToken: "missing")
        #expect(noToken.client == seeded.client)
        #expect(noToken.token == nil)

        let noneAsked = try seeded.store.client(clientID: clientID, andToken: nil)
        #expect(noneAsked.client == seeded.client)
        #expect(noneAsked.token == nil)

        let noClient = try seeded.store.client(clientID: "nobody", andToken: "both")
        #expect(noClient.client == nil)
        #expect(noClient.token?.token == stored)
    }
}

extension TokenStorageTests {
    /// A sign-in that is consent stores its tokens and the grant together.
    @Test(arguments: StorageBackend.all)
    func storeTokensRecordingGrant_storesBothTogether(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let (user, client) = (seeded.user.id, seeded.client.id)
        let access = token("access", client: client, user: user)
        let refresh = token("refresh", client: client, user: user)

        try seeded.store.storeTokens(
            [access, refresh], recordingGrantOf: user, clientRowID: client,
            scopes: ["read", "write"], at: at(5))

        #expect(try seeded.store.token(hash: "access") == access)
        #expect(try seeded.store.token(hash: "refresh") == refresh)
        let grant = try #require(try seeded.store.grant(userID: user, clientRowID: client))
        #expect(grant.scopes == ["read", "write"])
        #expect(grant.createdAt == at(5))
    }

    /// A token that cannot be stored leaves no grant, and none of its companions.
    @Test(arguments: StorageBackend.all)
    func storeTokensRecordingGrant_duplicateHash_storesNothing(backend: StorageBackend) throws {
        let seeded = try Seeded(backend)
        let (user, client) = (seeded.user.id, seeded.client.id)
        try seeded.store.storeToken(token("taken", client: client, user: nil))

        #expect(throws: StorageError.conflict("token_hash")) {
            try seeded.store.storeTokens(
                [
                    token("fresh", client: client, user: user),
                    token("taken", client: client, user: user),
                ],
                recordingGrantOf: user, clientRowID: client, scopes: ["read"], at: at(5))
        }

        #expect(try seeded.store.grant(userID: user, clientRowID: client) == nil)
        #expect(try seeded.store.token(hash: "fresh") == nil)
    }
}
