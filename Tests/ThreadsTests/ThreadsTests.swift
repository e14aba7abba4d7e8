import Foundation
import Testing

@testable import LatchkeyThreads

struct LockTests {
    @Test func withLock_letsOneThreadInAtATime() {
        let counter = Counter()
        let done = Condition()
        nonisolated(unsafe) var finished = 0

        for _ in 0..<8 {
            DetachedThread.start {
                for _ in 0..<10_000 { counter.increment() }
                done.withLock {
                    finished += 1
                    done.signal()
                }
            }
        }
        done.withLock {
            while finished < 8 { done.wait() }
        }

        #expect(counter.value == 80_000)
    }

    @Test func withLock_passesTheBodysErrorThrough() {
        struct Refused: Error, Equatable {}
        let lock = Lock()

        #expect(throws: Refused()) {
            try lock.withLock { () throws(Refused) in throw Refused() }
        }
        // The lock was given back.
        #expect(lock.withLock { true })
    }

    private final class Counter: @unchecked Sendable {
        private let lock = Lock()
        private var count = 0

        var value: Int { lock.withLock { count } }

        func increment() {
            lock.withLock { count += 1 }
        }
    }
}

struct LockedTests {
    @Test func withLock_fromManyThreads_losesNoChange() {
        let total = Locked(0)
        let done = Condition()
        nonisolated(unsafe) var finished = 0

        for _ in 0..<8 {
            DetachedThread.start {
                for _ in 0..<10_000 { total.withLock { $0 += 1 } }
                done.withLock {
                    finished += 1
                    done.signal()
                }
            }
        }
        done.withLock {
            while finished < 8 { done.wait() }
        }

        #expect(total.withLock { $0 } == 80_000)
    }

    @Test func withLock_throwing_keepsWhatWasChangedBeforeTheError() {
        struct Refused: Error, Equatable {}
        let names = Locked(["a"])

        #expect(throws: Refused()) {
            try names.withLock { (names) throws(Refused) in
                names.append("b")
                throw Refused()
            }
        }
        #expect(names.withLock { $0 } == ["a", "b"])
    }
}

struct ConditionTests {
    @Test func waitUntil_withoutSignal_isFalseAfterTheDeadline() {
        let condition = Condition()
        let started = ContinuousClock.now

        let woken = condition.withLock {
            condition.wait(until: started + .milliseconds(50))
        }

        #expect(!woken)
        #expect(ContinuousClock.now - started >= .milliseconds(50))
    }

    @Test func waitUntil_pastDeadline_isFalseAtOnce() {
        let condition = Condition()

        let woken = condition.withLock { condition.wait(until: .now - .seconds(1)) }

        #expect(!woken)
    }

    @Test func waitUntil_signalled_isTrueBeforeTheDeadline() {
        let condition = Condition()
        nonisolated(unsafe) var isReady = false
        let started = ContinuousClock.now

        DetachedThread.start {
            condition.withLock {
                isReady = true
                condition.signal()
            }
        }
        let woken = condition.withLock {
            var woken = true
            while !isReady && woken { woken = condition.wait(until: started + .seconds(10)) }
            return woken
        }

        #expect(woken)
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}

struct DetachedThreadTests {
    @Test(arguments: [
        ("blocking-pool", "blocking-pool"),
        // Linux keeps 15 bytes of a thread's name.
        ("sqlite-checkpoint", "sqlite-checkpoi"),
    ])
    func start_namesTheThread(name: String, expected: String) {
        let condition = Condition()
        nonisolated(unsafe) var seen: String?

        DetachedThread.start(name: name) {
            // What `ps -L` and `top -H` show.
            let comm = try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)
            condition.withLock {
                seen = comm?.trimmingCharacters(in: .newlines) ?? ""
                condition.signal()
            }
        }
        condition.withLock {
            while seen == nil { condition.wait() }
        }

        #expect(seen == expected)
    }
}
