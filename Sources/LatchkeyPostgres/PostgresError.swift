import CPostgres
import LatchkeyStorage

/// The one place every failed libpq result passes through, mapped to the storage
/// contract's error by its SQLSTATE.
///
/// - Parameters:
///   - result: the failed result, or nil when libpq could not produce one (out of
///     memory, or the connection is gone).
///   - connectionMessage: libpq's message for the connection, already sanitized; used
///     when the result carries none.
///   - connectionIsBroken: whether the connection is unusable now.
func storageError(
    result: OpaquePointer?, connectionMessage: String, connectionIsBroken: Bool
) -> StorageError {
    let sqlState = result.flatMap { field($0, CPOSTGRES_DIAG_SQLSTATE) } ?? ""
    let message =
        result.flatMap { field($0, CPOSTGRES_DIAG_MESSAGE_PRIMARY) } ?? connectionMessage

    if sqlState == "23505" {
        let constraint = result.flatMap { field($0, CPOSTGRES_DIAG_CONSTRAINT_NAME) } ?? ""
        return .conflict(Schema.conflictingField(constraint: constraint))
    }
    guard !connectionIsBroken, !sqlState.isEmpty else {
        return .unavailable("postgres \(sqlState.isEmpty ? "connection" : sqlState): \(message)")
    }
    guard isTransient(sqlState) else {
        return .failure("postgres \(sqlState): \(message)")
    }
    return .unavailable("postgres \(sqlState): \(message)")
}

/// SQLSTATEs that say "not now" rather than "never": the same call may succeed later or
/// on another connection, so the client is told to retry (503) rather than given a 500.
///
/// Class 08 (connection), 53 (out of resources), 57 (operator intervention: shutdown,
/// statement timeout), 40 (serialization failure, deadlock), 55P03 (lock not available),
/// 25006 (a read-only transaction: a standby answered, as during a failover), 58
/// (system error: I/O).
func isTransient(_ sqlState: String) -> Bool {
    let transientClasses = ["08", "53", "57", "40", "58"]
    return transientClasses.contains(String(sqlState.prefix(2)))
        || sqlState == "55P03" || sqlState == "25006"
}

private func field(_ result: OpaquePointer, _ code: Int32) -> String? {
    guard let value = PQresultErrorField(result, code) else { return nil }
    return String(cString: value)
}
