import CSQLite

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The current result row of a stepped statement; valid only inside the row callback.
struct SQLiteRow {
    let statement: OpaquePointer

    func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(statement, column) == SQLITE_NULL
    }

    func integer(_ column: Int32) -> Int64 {
        sqlite3_column_int64(statement, column)
    }

    func optionalInteger(_ column: Int32) -> Int64? {
        isNull(column) ? nil : integer(column)
    }

    func text(_ column: Int32) -> String {
        // Ask for the text before its length: sqlite3_column_bytes then reports the
        // length of that UTF-8 form.
        guard let pointer = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    func optionalText(_ column: Int32) -> String? {
        isNull(column) ? nil : text(column)
    }

    func date(_ column: Int32) -> Date {
        Date(timeIntervalSince1970: Double(integer(column)) / 1000)
    }

    func optionalDate(_ column: Int32) -> Date? {
        isNull(column) ? nil : date(column)
    }

    /// A space-separated list; an empty text is an empty list.
    func words(_ column: Int32) -> [String] {
        // Split on the bytes: a space is ASCII, and Character-wise splitting cost more
        // than the query that read the row.
        guard let pointer = sqlite3_column_text(statement, column) else { return [] }
        let bytes = UnsafeBufferPointer(
            start: pointer, count: Int(sqlite3_column_bytes(statement, column)))
        return bytes.split(separator: UInt8(ascii: " ")).map {
            String(decoding: UnsafeBufferPointer(rebasing: $0), as: UTF8.self)
        }
    }
}
