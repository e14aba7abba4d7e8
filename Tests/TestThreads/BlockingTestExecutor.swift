import Foundation
import Testing

/// Threads of their own for tests that block: storage calls (a statement, a commit, a
/// lock wait, a migration), child processes waited for, plain-socket HTTP exchanges.
/// Swift Testing runs test functions on the cooperative thread pool, which has one thread
/// per core; while storage tests block all of them, every async test of the same process
/// stalls (the integration tests wait for a server's start line with async sleeps and time
/// out). With this executor preferred, the tests' bodies run here instead, at most
/// `threadCount` at once, which also bounds the servers and PostgreSQL connections the
/// tests hold at one time.
public final class BlockingTestExecutor: TaskExecutor, @unchecked Sendable {
    public static let shared = BlockingTestExecutor(threadCount: 8)

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    private init(threadCount: Int) {
        for _ in 0..<threadCount {
            Thread { [self] in
                Thread.current.threadDictionary[Self.marker] = true
                runJobs()
            }.start()
        }
    }

    /// Marks the executor's threads (names are not reliable: Linux keeps 15 characters,
    /// and Foundation does not always apply them).
    private static let marker = "latchkey.blocking-tests"

    /// Whether the caller runs on one of the executor's threads.
    public static var isCurrentThread: Bool {
        Thread.current.threadDictionary[marker] as? Bool == true
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func runJobs() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()

            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// Runs a suite's tests on ``BlockingTestExecutor``.
public struct OnBlockingThreads: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        try await withTaskExecutorPreference(BlockingTestExecutor.shared) {
            try await function()
        }
    }
}

extension Trait where Self == OnBlockingThreads {
    /// Runs the tests on threads outside Swift's cooperative pool: see
    /// ``BlockingTestExecutor``.
    public static var onBlockingThreads: Self { Self() }
}
