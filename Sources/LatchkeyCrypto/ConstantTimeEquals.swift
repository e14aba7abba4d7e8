import CCrypto

/// Compares two byte strings in time that depends only on their length, so that a
/// secret cannot be guessed byte by byte from response times.
///
/// Strings of different lengths are unequal; the length itself is not secret here
/// (hashes and MACs have fixed lengths).
public func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    guard !lhs.isEmpty else { return true }

    return lhs.withUnsafeBufferPointer { left in
        rhs.withUnsafeBufferPointer { right in
            CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
        }
    }
}
