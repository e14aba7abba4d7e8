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

    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0

        let status = bytes.withNonNullBufferPointer { input in
            EVP_Digest(input.baseAddress, input.count, &digest, &length, algorithm, nil)
        }

        // EVP_Digest fails only when OpenSSL cannot allocate a context; nothing sensible
        // can continue without hashing.
        guard status == 1, length == 32 else {
            fatalError("EVP_Digest(SHA-256) failed: \(OpenSSLError.latestMessage())")
        }
        return Array(digest.prefix(Int(length)))
    }

    /// The lowercase hex SHA-256 of the UTF-8 bytes of `string`: how tokens, codes and
    /// session ids are keyed in storage.
    public static func hexDigest(_ string: String) -> String {
        Hex.encode(hash(Array(string.utf8)))
    }
}
