import LatchkeyThreads

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A client's callback URLs as both backends store them: one JSON array of strings in a
/// text column.
public enum StoredCallbackURLs {
    public static func encode(_ urls: [String]) throws(StorageError) -> String {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .withoutEscapingSlashes
            return String(decoding: try encoder.encode(urls), as: UTF8.self)
        } catch {
            throw StorageError.failure("cannot encode callback URLs: \(error)")
        }
    }

    /// Decoded arrays are remembered by their text: every client authentication reads the
    /// client's row, the same few clients come back all the time, and `JSONDecoder` cost
    /// more than the query that read the row. Keyed by the text itself, an entry can never
    /// be stale; the memo is emptied when it grows past `memoCapacity`.
    public static func decode(_ json: String) throws(StorageError) -> [String] {
        if let known = memo.value(for: json) { return known }
        let urls: [String]
        do {
            urls = try JSONDecoder().decode([String].self, from: Data(json.utf8))
        } catch {
            throw StorageError.failure("stored callback URLs are not a JSON array: \(error)")
        }
        memo.remember(urls, for: json)
        return urls
    }

    static let memoCapacity = 1024
    private static let memo = Memo()

    private final class Memo: @unchecked Sendable {
        private let lock = Lock()
        private var entries: [String: [String]] = [:]

        func value(for json: String) -> [String]? {
            lock.withLock { entries[json] }
        }

        func remember(_ urls: [String], for json: String) {
            lock.withLock {
                if entries.count >= StoredCallbackURLs.memoCapacity {
                    entries.removeAll(keepingCapacity: true)
                }
                entries[json] = urls
            }
        }
    }
}
