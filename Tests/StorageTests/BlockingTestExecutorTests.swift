import TestThreads
import Testing

@Suite(.onBlockingThreads) struct BlockingTestExecutorTests {
    /// If the trait stopped working, storage tests would silently go back to blocking the
    /// cooperative pool.
    @Test func syncTest_withTrait_runsOnAStorageThread() {
        #expect(BlockingTestExecutor.isCurrentThread)
    }
}

extension BlockingTestExecutorTests {
    @Test(arguments: StorageBackend.all)
    func parameterizedTest_withTrait_runsOnAStorageThread(backend: StorageBackend) {
        #expect(BlockingTestExecutor.isCurrentThread)
    }
}
