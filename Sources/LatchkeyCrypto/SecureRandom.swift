import CCrypto

/// Cryptographically secure random bytes from OpenSSL's CSPRNG.
public enum SecureRandom {
    /// `count` random bytes.
    ///
    /// A failing random generator means every token and salt would be predictable, so
    /// there is no safe way to continue: the process stops with the reason.
    public static func bytes(count: Int) -> [UInt8] {
        precondition(count >= 0, "SecureRandom.bytes(count:) needs a non-negative count")
        guard count > 0 else { return [] }

        var bytes = [UInt8](repeating: 0, count: count)
        let status = RAND_bytes(&bytes, Int32(count))

        guard status == 1 else {
            fatalError("RAND_bytes failed: \(OpenSSLError.latestMessage())")
        }
        return bytes
    }
}
