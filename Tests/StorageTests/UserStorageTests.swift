import Foundation
import LatchkeyStorage
import TestThreads
import Testing

@Suite(.onBlockingThreads) struct UserStorageTests {
    @Test(arguments: StorageBackend.all)
    func createUser_new_isReadableByIDAndLogin(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()

        let user = try fixture.store.createUser(newUser("alice"))

        #expect(user.username == "alice")
        #expect(user.email == "alice@example.com")
        #expect(user.name == "Name of alice")
        #expect(user.passwordHash == "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")
        #expect(user.createdAt == epoch)
        #expect(user.updatedAt == epoch)
        #expect(try fixture.store.user(id: user.id) == user)
        #expect(try fixture.store.user(login: "alice") == user)
        #expect(try fixture.store.user(login: "alice@example.com") == user)
    }

    @Test(arguments: StorageBackend.all)
    func createUser_twoUsers_getDistinctIDs(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()

        let alice = try fixture.store.createUser(newUser("alice"))
        let bob = try fixture.store.createUser(newUser("bob"))

        #expect(alice.id != bob.id)
        #expect(try fixture.store.user(id: bob.id)?.username == "bob")
    }

    @Test(arguments: StorageBackend.all, ["ALICE", "Alice@Example.COM", "aLiCe"])
    func userLogin_differentCase_findsUser(backend: StorageBackend, login: String) throws {
        let fixture = try backend.makeFixture()
        let user = try fixture.store.createUser(newUser("alice"))

        #expect(try fixture.store.user(login: login) == user)
    }

    @Test(arguments: StorageBackend.all)
    func userLogin_unknownOrEmpty_isNil(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()
        _ = try fixture.store.createUser(newUser("alice"))

        #expect(try fixture.store.user(login: "bob") == nil)
        #expect(try fixture.store.user(login: "") == nil)
        #expect(try fixture.store.user(login: "alice ") == nil)
        #expect(try fixture.store.user(login: "ali%") == nil)
        #expect(try fixture.store.user(id: 999_999) == nil)
    }

    @Test(arguments: StorageBackend.all)
    func userLogin_usernameEqualsOtherUsersEmail_prefersUsername(backend: StorageBackend)
        throws
    {
        let fixture = try backend.makeFixture()
        let owner = try fixture.store.createUser(newUser("carol", email: "shared@example.com"))
        let named = try fixture.store.createUser(
            newUser("shared@example.com", email: "other@example.com"))

        #expect(try fixture.store.user(login: "shared@example.com") == named)
        #expect(try fixture.store.user(login: "carol") == owner)
    }

    @Test(arguments: StorageBackend.all)
    func createUser_usernameDifferingOnlyInCase_isUsernameConflict(backend: StorageBackend)
        throws
    {
        let fixture = try backend.makeFixture()
        _ = try fixture.store.createUser(newUser("alice", email: "a@example.com"))

        #expect(throws: StorageError.conflict("username")) {
            try fixture.store.createUser(newUser("ALICE", email: "b@example.com"))
        }
        #expect(try fixture.store.user(login: "b@example.com") == nil)
    }

    @Test(arguments: StorageBackend.all)
    func createUser_duplicateEmailInOtherCase_isEmailConflict(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()
        _ = try fixture.store.createUser(newUser("alice", email: "same@example.com"))

        #expect(throws: StorageError.conflict("email")) {
            try fixture.store.createUser(newUser("bob", email: "Same@Example.com"))
        }
        #expect(try fixture.store.user(login: "bob") == nil)
    }

    @Test(arguments: StorageBackend.all)
    func createUser_hostileStrings_readBackUnchanged(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()
        let hostile = NewUser(
            username: "o'brien\"; DROP TABLE users; --", email: "ünïcødé+tag@exämple.org",
            name: String(repeating: "名前😀'\"\\%_", count: 1_250),  // over 10 KB of UTF-8
            passwordHash: "$argon2id$'\"", createdAt: epoch)

        let user = try fixture.store.createUser(hostile)
        let readBack = try #require(try fixture.store.user(id: user.id))

        #expect(readBack.username == hostile.username)
        #expect(readBack.email == hostile.email)
        #expect(readBack.name == hostile.name)
        #expect(readBack.name.utf8.count > 10_000)
        #expect(readBack.passwordHash == hostile.passwordHash)
        #expect(try fixture.store.user(login: hostile.username) == readBack)
        #expect(try fixture.store.createUser(newUser("next")).username == "next")
    }

    @Test(arguments: StorageBackend.all)
    func createUser_emptyStrings_areStoredAsEmptyNotMissing(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()
        let empty = NewUser(username: "", email: "", name: "", passwordHash: "", createdAt: epoch)

        let user = try fixture.store.createUser(empty)

        #expect(try fixture.store.user(id: user.id) == user)
        #expect(user.name == "")
    }
}
