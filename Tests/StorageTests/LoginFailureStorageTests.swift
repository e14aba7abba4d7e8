import Foundation
import LatchkeyStorage
import TestThreads
import Testing

@Suite(.onBlockingThreads) struct LoginFailureStorageTests {
    @Test(arguments: StorageBackend.all)
    func recordLoginFailure_repeated_countsEachKey(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()
        let store = fixture.store

        #expect(
            try store.recordLoginFailure(keys: ["user:1", "addr:a"], at: at(0), window: 60) == [
                1, 1,
            ])
        #expect(
            try store.recordLoginFailure(keys: ["user:1", "addr:b"], at: at(1), window: 60) == [
                2, 1,
            ])
        #expect(try store.recordLoginFailure(keys: ["user:1"], at: at(2), window: 60) == [3])
        #expect(try store.loginFailures(key: "user:1", at: at(3), window: 60) == 3)
        #expect(try store.loginFailures(key: "addr:a", at: at(3), window: 60) == 1)
        #expect(try store.loginFailures(key: "never", at: at(3), window: 60) == 0)
    }

    @Test(arguments: StorageBackend.all)
    func loginFailures_window_countsOnlyFailuresInsideIt(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()
        let store = fixture.store
        for second in [0.0, 10, 20, 30] {
            _ = try store.recordLoginFailure(keys: ["k"], at: at(second), window: 60)
        }

        #expect(try store.loginFailures(key: "k", at: at(30), window: 60) == 4)
        #expect(try store.loginFailures(key: "k", at: at(30), window: 15) == 2)
        // The window is (now - window, now]: a failure exactly `window` ago is out.
        #expect(try store.loginFailures(key: "k", at: at(40), window: 30) == 2)
        #expect(try store.loginFailures(key: "k", at: at(100), window: 60) == 0)
        #expect(try store.recordLoginFailure(keys: ["k"], at: at(75), window: 60) == [3])
    }

    @Test(arguments: StorageBackend.all)
    func recordLoginFailure_noKeys_returnsEmpty(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()

        #expect(try fixture.store.recordLoginFailure(keys: [], at: epoch, window: 60) == [])
    }

    @Test(arguments: StorageBackend.all)
    func recordLoginFailure_repeatedKeyInOneCall_countsTwice(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()

        #expect(
            try fixture.store.recordLoginFailure(keys: ["k", "k"], at: epoch, window: 60) == [2, 2])
    }

    @Test(arguments: StorageBackend.all)
    func clearLoginFailures_key_resetsOnlyThatKey(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()
        let store = fixture.store
        _ = try store.recordLoginFailure(keys: ["user:1", "addr:a"], at: epoch, window: 60)

        try store.clearLoginFailures(key: "user:1")
        try store.clearLoginFailures(key: "unknown")

        #expect(try store.loginFailures(key: "user:1", at: epoch, window: 60) == 0)
        #expect(try store.loginFailures(key: "addr:a", at: epoch, window: 60) == 1)
    }

    @Test(arguments: StorageBackend.all)
    func recordLoginFailure_hostileKey_isCountedExactly(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()
        let key = "user:' OR 1=1; --" + String(repeating: "é", count: 5_000)

        _ = try fixture.store.recordLoginFailure(keys: [key], at: epoch, window: 60)

        #expect(try fixture.store.loginFailures(key: key, at: epoch, window: 60) == 1)
        #expect(try fixture.store.loginFailures(key: "user:%", at: epoch, window: 60) == 0)
    }

    @Test(arguments: StorageBackend.all)
    func loginFailures_unboundedOrEmptyWindow_countsAllOrNone(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()
        _ = try fixture.store.recordLoginFailure(keys: ["k"], at: epoch, window: 60)
        _ = try fixture.store.recordLoginFailure(keys: ["k"], at: at(-1_000_000), window: 60)

        #expect(try fixture.store.loginFailures(key: "k", at: epoch, window: .infinity) == 2)
        #expect(try fixture.store.loginFailures(key: "k", at: epoch, window: 0) == 0)
        #expect(try fixture.store.loginFailures(key: "k", at: epoch, window: -60) == 0)
    }
}

extension LoginFailureStorageTests {
    /// Lockout counts add up across processes: 40 failures spread over two handles are 40.
    @Test(arguments: StorageBackend.all)
    func recordLoginFailure_fortyOnTwoHandles_countsAllForty(backend: StorageBackend) throws {
        let fixture = try backend.makeFixture()
        let stores = [fixture.store, try fixture.openAnother()]
        let highest = Collected<Int>()
        let errors = Collected<String>()

        onThreads(8) { index in
            for _ in 0..<5 {
                do {
                    let counts = try stores[index % 2].recordLoginFailure(
                        keys: ["user:1", "addr:\(index % 2)"], at: epoch, window: 60)
                    highest.append(counts[0])
                } catch {
                    errors.append("\(error)")
                }
            }
        }

        #expect(errors.all == [])
        #expect(highest.all.max() == 40)
        #expect(try stores[1].loginFailures(key: "user:1", at: epoch, window: 60) == 40)
        #expect(try stores[0].loginFailures(key: "addr:1", at: epoch, window: 60) == 20)
    }
}
