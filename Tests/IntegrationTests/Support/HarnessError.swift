/// A failure of the test harness itself (a process that would not start, a file that is
/// missing), described well enough to act on from the test log alone.
struct HarnessError: Error, CustomStringConvertible {
    /// What went wrong and, where known, what to do about it.
    let message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}
