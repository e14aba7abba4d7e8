extension String {
    /// Whether any of the UTF-8 bytes satisfies `predicate`.
    ///
    /// Scans the bytes as one buffer where the string has one (native and small strings
    /// do): iterating `utf8` generically costs several times as much per byte, and these
    /// scans run over every token, secret and JSON string of a request.
    func containsUTF8Byte(where predicate: (UInt8) -> Bool) -> Bool {
        utf8.withContiguousStorageIfAvailable { $0.contains(where: predicate) }
            ?? utf8.contains(where: predicate)
    }

    /// Whether every UTF-8 byte satisfies `predicate`; see `containsUTF8Byte(where:)`.
    func allUTF8Bytes(satisfy predicate: (UInt8) -> Bool) -> Bool {
        !containsUTF8Byte { !predicate($0) }
    }
}
