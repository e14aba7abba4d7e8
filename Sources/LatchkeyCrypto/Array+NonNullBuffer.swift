extension Array where Element == UInt8 {
    /// Calls `body` with a buffer whose base address is never nil, even when the array
    /// is empty: several C APIs read a nil pointer as "no argument" rather than "no bytes".
    func withNonNullBufferPointer<Result>(
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        guard isEmpty else { return try withUnsafeBufferPointer(body) }

        var placeholder: UInt8 = 0
        return try withUnsafePointer(to: &placeholder) { pointer in
            try body(UnsafeBufferPointer(start: pointer, count: 0))
        }
    }
}
