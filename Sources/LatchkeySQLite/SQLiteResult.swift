import CSQLite
import LatchkeyStorage
import LatchkeyText

/// The one place every SQLite result code passes through: success codes pass, the rest
/// become a ``StorageError``.
///
/// - Parameters:
///   - code: what the SQLite call returned (extended result codes are on).
///   - database: the connection, for its error message; nil when opening failed.
/// - Returns: `code`, so that callers can tell `SQLITE_ROW` from `SQLITE_DONE`.
@discardableResult
func check(_ code: Int32, _ database: OpaquePointer?) throws(StorageError) -> Int32 {
    switch code {
    case SQLITE_OK, SQLITE_ROW, SQLITE_DONE:
        return code
    default:
        throw storageError(code: code, message: errorMessage(code, database))
    }
}

/// Maps a failed result code to the storage contract's error.
func storageError(code: Int32, message: String) -> StorageError {
    let primary = code & 0xff

    switch code {
    case CSQLITE_CONSTRAINT_UNIQUE, CSQLITE_CONSTRAINT_PRIMARYKEY:
        return .conflict(conflictingField(in: message))
    default:
        break
    }

    switch primary {
    case SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_FULL,
        SQLITE_READONLY, SQLITE_PROTOCOL, SQLITE_NOLFS, SQLITE_PERM:
        return .unavailable("sqlite \(code): \(message)")
    default:
        return .failure("sqlite \(code): \(message)")
    }
}

/// The column a uniqueness failure names: SQLite says
/// `UNIQUE constraint failed: users.email`; the field is `email`. For a composite key
/// the first column is named.
func conflictingField(in message: String) -> String {
    guard let colon = message.lastIndex(of: ":") else { return message }
    let columns = message[message.index(after: colon)...]
    let first = columns.split(separator: ",").first ?? columns[...]
    let name = first.split(separator: ".").last ?? first
    return name.trimmingSpacesAndTabs()
}

private func errorMessage(_ code: Int32, _ database: OpaquePointer?) -> String {
    if let database, let message = sqlite3_errmsg(database) {
        return String(cString: message)
    }
    return String(cString: sqlite3_errstr(code))
}
