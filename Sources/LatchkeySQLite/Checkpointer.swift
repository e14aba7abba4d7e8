import CSQLite
import LatchkeyStorage
import LatchkeyThreads

/// Copies the write-ahead log's pages into the database on a thread of its own.
///
/// SQLite's default checkpoints from the connection that commits once the log passes
/// 1,000 frames: that commit's callers then wait for every page to be copied and for the
/// database file's fsync, tens of milliseconds under write load, which is the slowest
/// answer the token endpoint gives. Here a commit past ``backgroundFrames`` only wakes
/// this thread, and writers go on while it copies.
///
/// The log only starts over from its beginning when a write finds it fully copied, which
/// a stream of writes never leaves time for. So past ``foregroundFrames`` the committing
/// connection checkpoints as SQLite would, after the thread's checkpoint if one is
/// running: by then nearly all of the log is copied, and its length stays bounded.
final class Checkpointer: @unchecked Sendable {
    static let backgroundFrames: Int32 = 1_000
    static let foregroundFrames: Int32 = 4_000

    private let path: String
    private let condition = Condition()
    private var isRequested = false
    private var isRunning = false
    private var isCheckpointing = false
    private var isStopped = false
    private var checkpointCount = 0

    init(path: String) {
        self.path = path
    }

    /// Background checkpoints run so far.
    var completedCheckpoints: Int {
        condition.lock()
        defer { condition.unlock() }
        return checkpointCount
    }

    /// Called by a connection that just committed, with the frames now in the log.
    func committed(frames: Int32, connection: OpaquePointer, schema: UnsafePointer<CChar>?) {
        if frames >= Self.foregroundFrames {
            // Only one checkpoint runs at a time: while the thread's is copying, this one
            // is refused at once. Waiting for it holds up the writers, which is the point
            // here: the disk is not keeping up with them.
            while sqlite3_wal_checkpoint_v2(
                connection, schema, SQLITE_CHECKPOINT_PASSIVE, nil, nil) == SQLITE_BUSY,
                waitForBackgroundCheckpoint()
            {}
        } else if frames >= Self.backgroundFrames {
            request()
        }
    }

    /// Waits for the thread's checkpoint in progress; false when none was running.
    private func waitForBackgroundCheckpoint() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard isCheckpointing else { return false }
        while isCheckpointing { condition.wait() }
        return true
    }

    private func request() {
        condition.lock()
        defer { condition.unlock() }
        guard !isStopped else { return }
        isRequested = true
        if isRunning {
            condition.signal()
        } else {
            isRunning = true
            DetachedThread.start(name: "sqlite-checkpoint") { [self] in run() }
        }
    }

    /// Ends the thread after the checkpoint in progress, if any. Later requests are
    /// ignored; commits past ``foregroundFrames`` still checkpoint.
    func stop() {
        condition.lock()
        isStopped = true
        condition.broadcast()
        while isRunning { condition.wait() }
        condition.unlock()
    }

    private func run() {
        // A connection of its own, so that checkpoints never take one from the pool.
        // Should it fail to open, commits past the foreground mark still checkpoint.
        let connection = try? SQLiteConnection(path: path)

        condition.lock()
        while !isStopped {
            guard isRequested else {
                condition.wait()
                continue
            }
            isRequested = false
            isCheckpointing = true
            condition.unlock()
            // PASSIVE never waits for readers or writers: it copies what it may now.
            connection?.checkpointPassively()
            condition.lock()
            isCheckpointing = false
            checkpointCount += 1
            condition.broadcast()
        }
        isRunning = false
        condition.broadcast()
        condition.unlock()
    }
}
