import CCrypto

/// HMAC-SHA-256 (RFC 2104) through OpenSSL's one-shot `HMAC()`.
public enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key`.
    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var code = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0

        // OpenSSL 3 treats a NULL key as "reuse the previous key", so an empty key
        // must still be passed as a real pointer.
        let result = key.withNonNullBufferPointer { keyBuffer in
            message.withNonNullBufferPointer { messageBuffer in
                HMAC(
                    EVP_sha256(), keyBuffer.baseAddress, Int32(keyBuffer.count),
                    messageBuffer.baseAddress, messageBuffer.count, &code, &length)
            }
        }

        guard result != nil, length == 32 else {
            fatalError("HMAC(SHA-256) failed: \(OpenSSLError.latestMessage())")
        }
        return Array(code.prefix(Int(length)))
    }
}
