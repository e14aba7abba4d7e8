import CCrypto
import LatchkeyThreads

/// HMAC-SHA-256 (RFC 2104) under one long-lived key, for checks on the request path.
///
/// The one-shot `HMACSHA256.authenticationCode` looks the algorithm up and pads the key on
/// every call, which costs about ten times a SHA-256 of a short message. Here the key is
/// padded once into a libcrypto context; each message starts from that keyed state again
/// (`EVP_MAC_init` without a key keeps the key), so a code costs about what a SHA-256 does.
///
/// A context holds the running hash, so one thread at a time uses it: contexts are kept
/// in a pool, and one more is copied from the first when every pooled one is in use.
public final class HMACSHA256Key: Sendable {
    /// An `EVP_MAC_CTX` owned by the pool or by the one call that took it out.
    private struct Context: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    /// The keyed state new contexts are copied from; never used for a message itself.
    private let template: Context
    private let lock = Lock()
    nonisolated(unsafe) private var idle: [Context] = []

    /// Pads `key` into a context. Any length is allowed, as HMAC allows; a key longer
    /// than 64 bytes is hashed first (RFC 2104 §2).
    public init(_ key: [UInt8]) {
        guard let algorithm = EVP_MAC_fetch(nil, "HMAC", nil) else {
            fatalError("EVP_MAC_fetch(HMAC) failed: \(OpenSSLError.latestMessage())")
        }
        // The context holds its own reference to the algorithm.
        defer { EVP_MAC_free(algorithm) }
        guard let context = EVP_MAC_CTX_new(algorithm) else {
            fatalError("EVP_MAC_CTX_new failed: \(OpenSSLError.latestMessage())")
        }

        // The parameter array points into both strings, so both stay alive until
        // EVP_MAC_init has read them.
        let initialized = OSSL_MAC_PARAM_DIGEST.withCString { name in
            "SHA256".withCString { digest in
                var parameters = [
                    OSSL_PARAM_construct_utf8_string(
                        name, UnsafeMutablePointer(mutating: digest), 0),
                    OSSL_PARAM_construct_end(),
                ]
                return key.withNonNullBufferPointer { keyBuffer in
                    EVP_MAC_init(context, keyBuffer.baseAddress, keyBuffer.count, &parameters)
                }
            }
        }

        // Like `SHA256.hash`, this fails only when libcrypto cannot allocate memory.
        guard initialized == 1 else {
            fatalError("EVP_MAC_init(HMAC-SHA-256) failed: \(OpenSSLError.latestMessage())")
        }
        template = Context(pointer: context)
    }

    deinit {
        EVP_MAC_CTX_free(template.pointer)
        for context in idle {
            EVP_MAC_CTX_free(context.pointer)
        }
    }

    /// The 32-byte authentication code of `message` under this key.
    public func authenticationCode(_ message: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { code, count in
            message.withUnsafeBytes { authenticationCode($0, into: code.baseAddress!) }
            count = 32
        }
    }

    /// Writes the 32-byte authentication code of `message` to `code`, on the caller's
    /// memory: a client secret is checked on every token and introspection request.
    public func authenticationCode(
        _ message: UnsafeRawBufferPointer, into code: UnsafeMutablePointer<UInt8>
    ) {
        let context = lock.withLock { idle.popLast() } ?? copyOfTemplate()
        defer { lock.withLock { idle.append(context) } }

        var length = 0
        // A nil pointer would mean "no argument" to C; a byte of stack stands in for an
        // empty message, of which nothing is read.
        var placeholder: UInt8 = 0
        let succeeded = withUnsafePointer(to: &placeholder) { placeholder in
            EVP_MAC_init(context.pointer, nil, 0, nil) == 1
                && EVP_MAC_update(
                    context.pointer,
                    message.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? placeholder,
                    message.count) == 1
                && EVP_MAC_final(context.pointer, code, &length, 32) == 1
        }

        guard succeeded, length == 32 else {
            fatalError("HMAC-SHA-256 failed: \(OpenSSLError.latestMessage())")
        }
    }

    private func copyOfTemplate() -> Context {
        guard let copy = EVP_MAC_CTX_dup(template.pointer) else {
            fatalError("EVP_MAC_CTX_dup failed: \(OpenSSLError.latestMessage())")
        }
        return Context(pointer: copy)
    }
}
