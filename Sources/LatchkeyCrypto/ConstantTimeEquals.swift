import CCrypto

/// Compares two byte strings in time that depends only on their length, so that a
/// secret cannot be guessed byte by byte from response times.
///
/// Strings of different lengths are unequal; the length itself is not secret here
/// (hashes and MACs have fixed lengths).
public func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    lhs.withUnsafeBufferPointer { left in
        rhs.withUnsafeBufferPointer { right in constantTimeEquals(left, right) }
    }
}

/// ``constantTimeEquals(_:_:)-([UInt8],[UInt8])`` on bytes the caller already holds.
public func constantTimeEquals(
    _ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>
) -> Bool {
    guard lhs.count == rhs.count else { return false }
    guard !lhs.isEmpty else { return true }
    return CRYPTO_memcmp(lhs.baseAddress, rhs.baseAddress, lhs.count) == 0
}
