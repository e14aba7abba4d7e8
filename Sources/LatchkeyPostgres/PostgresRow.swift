import CPostgres
import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One row of a result in text format; valid only inside the row callback.
///
/// Columns are read by position, in the order of the statement's select list. A value
/// that does not parse as the expected type is a bug in a statement, not in the data:
/// it reads as 0 rather than trapping a server thread.
struct PostgresRow {
    let result: OpaquePointer
    let row: Int32

    func isNull(_ column: Int32) -> Bool {
        PQgetisnull(result, row, column) != 0
    }

    func text(_ column: Int32) -> String {
        guard let pointer = PQgetvalue(result, row, column) else { return "" }
        let count = Int(PQgetlength(result, row, column))
        return pointer.withMemoryRebound(to: UInt8.self, capacity: count) { bytes in
            String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }
    }

    func optionalText(_ column: Int32) -> String? {
        isNull(column) ? nil : text(column)
    }

    func integer(_ column: Int32) -> Int64 {
        Int64(text(column)) ?? 0
    }

    func optionalInteger(_ column: Int32) -> Int64? {
        isNull(column) ? nil : integer(column)
    }

    func date(_ column: Int32) -> Date {
        Date(timeIntervalSince1970: Double(integer(column)) / 1000)
    }

    func optionalDate(_ column: Int32) -> Date? {
        isNull(column) ? nil : date(column)
    }

    /// A space-separated list; an empty text is an empty list.
    func words(_ column: Int32) -> [String] {
        text(column).split(separator: " ").map(String.init)
    }
}
