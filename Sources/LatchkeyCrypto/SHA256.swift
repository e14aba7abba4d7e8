import CCrypto

/// SHA-256 (FIPS 180-4) through OpenSSL's EVP interface.
public enum SHA256 {
    /// The implementation, fetched from OpenSSL's default provider once. `EVP_sha256()`
    /// would make every `EVP_Digest` call look the algorithm up again, which cost as much
    /// as hashing a token. A fetched `EVP_MD` is immutable and safe to share between
    /// threads; it lives as long as the process.
    nonisolated(unsafe) private static let algorithm: OpaquePointer = {
        guard let fetched = EVP_MD_fetch(nil, "SHA256", nil) else {
            fatalError("EVP_MD_fetch(SHA256) failed: \(OpenSSLError.latestMessage())")
        }
        return fetched
    }()

    /// The length of a digest in bytes.
    public static let digestLength = 32

    /// Hashes `bytes` into `digest`, which has room for ``digestLength`` bytes.
    ///
    /// Every request that carries a credential hashes it at least twice (its checksum and
    /// its storage key), so this works on the caller's bytes and memory: copying the input
    /// into an array and the output out of a larger one cost a third of the hash.
    public static func hash(
        _ bytes: UnsafeRawBufferPointer, into digest: UnsafeMutablePointer<UInt8>
    ) {
        var length: UInt32 = 0
        // A nil pointer would mean "no argument" to C; one byte of stack stands in for an
        // empty input, of which nothing is read.
        var placeholder: UInt8 = 0
        let status = withUnsafeMutablePointer(to: &placeholder) { placeholder in
            EVP_Digest(
                bytes.baseAddress ?? UnsafeRawPointer(placeholder), bytes.count, digest,
                &length, algorithm, nil)
        }

        // EVP_Digest fails only when OpenSSL cannot allocate a context; nothing sensible
        // can continue without hashing.
        guard status == 1, length == UInt32(digestLength) else {
            fatalError("EVP_Digest(SHA-256) failed: \(OpenSSLError.latestMessage())")
        }
    }

    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: digestLength) { digest, count in
            bytes.withUnsafeBytes { hash($0, into: digest.baseAddress!) }
            count = digestLength
        }
    }

    /// The lowercase hex SHA-256 of the UTF-8 bytes of `string`: how tokens, codes and
    /// session ids are keyed in storage.
    public static func hexDigest(_ string: String) -> String {
        var string = string
        return string.withUTF8 { utf8 in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: digestLength) { digest in
                hash(UnsafeRawBufferPointer(utf8), into: digest.baseAddress!)
                return Hex.encode(UnsafeBufferPointer(digest))
            }
        }
    }
}
