import CCrypto

/// Reads OpenSSL's thread-local error queue, for the reason in a fatal error.
enum OpenSSLError {
    /// The most recent queued error as text, or a note that the queue was empty.
    static func latestMessage() -> String {
        let code = ERR_get_error()
        guard code != 0 else { return "no OpenSSL error queued" }

        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(
            decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) },
            as: UTF8.self)
    }
}
