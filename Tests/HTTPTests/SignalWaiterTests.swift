import Testing

@testable import LatchkeyHTTP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct SignalWaiterTests {
    /// One test covers both signals: the handlers are process-wide, so two tests running
    /// at once would read each other's signals.
    @Test func wait_returnsEachTerminationSignal_withoutEndingTheProcess() {
        let waiter = SignalWaiter()

        kill(getpid(), SIGTERM)
        let first = waiter.wait()
        kill(getpid(), SIGINT)
        let second = waiter.wait()

        #expect(first == SIGTERM)
        #expect(second == SIGINT)
    }
}
