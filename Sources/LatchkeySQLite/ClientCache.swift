import LatchkeyStorage
import LatchkeyThreads

/// Clients as last read, kept while the database's client version stays the same.
///
/// Every client request reads its client's row, and decoding it (a dozen columns, the
/// callback URLs, three word lists) costs more than the lookup. The schema's triggers
/// add one to `clients_version.version` in the same transaction as any insert, update
/// or delete of a client, whichever process makes it (the `latchkey client` commands
/// included), so a version read in the same snapshot as the row, or before it, says
/// whether a remembered row is still the stored one.
///
/// Only clients that exist are remembered: unknown client ids, which anyone can send,
/// never fill the cache.
final class ClientCache: Sendable {
    /// More clients than this and the cache starts over; a server with that many
    /// clients in use at once reads rows again, as it would without the cache.
    static let capacity = 4096

    private struct State {
        var version: Int64 = -1
        var clients: [String: Client] = [:]
    }

    private let state = Locked(State())

    /// The client remembered for `clientID`, if it was remembered at `version`.
    func client(_ clientID: String, at version: Int64) -> Client? {
        state.withLock { state in state.version == version ? state.clients[clientID] : nil }
    }

    /// Remembers `client`, read at `version` or later. A different version starts the
    /// cache over: what was remembered at another version may be stale.
    ///
    /// A row read after the version can only be as new as that version or newer; stored
    /// under the older version it is read again once the version moves, never kept past
    /// a change.
    func remember(_ client: Client, at version: Int64) {
        state.withLock { state in
            if state.version != version || state.clients.count >= Self.capacity {
                state = State(version: version)
            }
            state.clients[client.clientID] = client
        }
    }
}
