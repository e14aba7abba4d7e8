import CArgon2
import Dispatch
import LatchkeyThreads

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Argon2id password hashing (RFC 9106) in the PHC string format
/// (`$argon2id$v=19$m=...,t=...,p=...$salt$hash`) through libargon2.
///
/// The defaults (3 passes over 12 MiB, one lane) are one of OWASP's equivalent minimum
/// settings for Argon2id; of those, it needs the least memory per concurrent hash, which
/// is what bounds a server's peak resident memory while several sign-ins run at once. The
/// parameters are stored in every encoded hash, so raising them later leaves existing
/// hashes verifiable.
public struct PasswordHasher: Sendable {
    public let iterations: UInt32
    public let memoryKiB: UInt32
    public let parallelism: UInt32
    /// Every hasher of the process shares ``PasswordHasher/processGate``; tests pass
    /// one of their own.
    let gate: HashGate

    static let saltLength = 16
    static let hashLength: UInt32 = 32

    public init(iterations: UInt32 = 3, memoryKiB: UInt32 = 12_288, parallelism: UInt32 = 1) {
        self.init(
            iterations: iterations, memoryKiB: memoryKiB, parallelism: parallelism,
            gate: Self.processGate)
    }

    init(iterations: UInt32, memoryKiB: UInt32, parallelism: UInt32, gate: HashGate) {
        self.iterations = iterations
        self.memoryKiB = memoryKiB
        self.parallelism = parallelism
        self.gate = gate
    }

    /// Hashes `password` under a fresh 16-byte random salt.
    ///
    /// Throws ``PasswordHashingError`` when libargon2 refuses the parameters or cannot
    /// allocate its memory.
    public func hash(_ password: String) throws -> String {
        try hash(password, salt: SecureRandom.bytes(count: Self.saltLength))
    }

    /// Hashes with a given salt; only tests (with published vectors) choose the salt.
    func hash(_ password: String, salt: [UInt8]) throws -> String {
        let length = argon2_encodedlen(
            iterations, memoryKiB, parallelism, UInt32(salt.count), Self.hashLength, Argon2_id)
        var encoded = [CChar](repeating: 0, count: length)
        let passwordBytes = Array(password.utf8)

        let status = gate.run {
            passwordBytes.withUnsafeBufferPointer { passwordBuffer in
                salt.withUnsafeBufferPointer { saltBuffer in
                    argon2id_hash_encoded(
                        iterations, memoryKiB, parallelism, passwordBuffer.baseAddress,
                        passwordBuffer.count, saltBuffer.baseAddress, saltBuffer.count,
                        Int(Self.hashLength), &encoded, encoded.count)
                }
            }
        }

        guard status == ARGON2_OK.rawValue else { throw PasswordHashingError(code: status) }
        return String(
            decoding: encoded.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) },
            as: UTF8.self)
    }

    /// Whether `password` matches `encoded`. A malformed, truncated or non-Argon2id
    /// encoded string is simply no match.
    public func verify(_ password: String, encoded: String) -> Bool {
        // Only Argon2id hashes are ever written; anything else is refused before
        // libargon2 parses it.
        guard encoded.hasPrefix("$argon2id$") else { return false }

        let passwordBytes = Array(password.utf8)
        let status = gate.run {
            passwordBytes.withUnsafeBufferPointer { buffer in
                argon2id_verify(encoded, buffer.baseAddress, buffer.count)
            }
        }
        return status == ARGON2_OK.rawValue
    }

    /// At most one hash per core runs at once, whatever the number of threads asking:
    /// each holds a core and `memoryKiB` of memory, so more at a time would add memory
    /// and no speed. With 64 worker threads and a flood of sign-ins, resident memory
    /// stays at cores x 12 MiB instead of 64 x 12 MiB.
    static let processGate = HashGate(width: max(1, ProcessInfo.processInfo.activeProcessorCount))

    /// Makes every hash's memory go back to the kernel when the hash is done, instead of
    /// staying in the heap of whichever thread ran it. A long-running server calls this
    /// once at start; without it, resident memory grows by the memory cost per worker.
    public static func returnMemoryOnFree() {
        cargon2_return_hash_memory_on_free()
    }

    /// A fixed hash of a random password, verified against when a user does not exist, so
    /// that an unknown login costs the same time as a wrong password.
    ///
    /// Computed once per process for each set of parameters, on first use.
    public var decoyHash: String {
        DecoyHashes.shared.hash(for: self)
    }
}

/// Lets at most `width` callers run at once; the others wait their turn.
final class HashGate: @unchecked Sendable {
    let width: Int
    private let slots: DispatchSemaphore
    private let lock = Lock()
    private var running = 0
    private var mostAtOnce = 0

    init(width: Int) {
        self.width = width
        slots = DispatchSemaphore(value: width)
    }

    /// The most callers that have run at the same time, for tests.
    var peak: Int { lock.withLock { mostAtOnce } }

    func run<Result>(_ body: () -> Result) -> Result {
        slots.wait()
        defer { slots.signal() }
        lock.withLock {
            running += 1
            mostAtOnce = max(mostAtOnce, running)
        }
        defer { lock.withLock { running -= 1 } }
        return body()
    }
}

/// libargon2 refused to hash; the message is libargon2's own and contains no input.
public struct PasswordHashingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The libargon2 `Argon2_ErrorCodes` value.
    public let code: Int32

    public var description: String {
        "Argon2id hashing failed: " + String(cString: argon2_error_message(code))
    }
}

/// The process-wide cache behind ``PasswordHasher/decoyHash``.
private final class DecoyHashes: @unchecked Sendable {
    static let shared = DecoyHashes()

    private struct Parameters: Hashable {
        let iterations: UInt32
        let memoryKiB: UInt32
        let parallelism: UInt32
    }

    private let lock = Lock()
    private var hashes: [Parameters: String] = [:]

    func hash(for hasher: PasswordHasher) -> String {
        let key = Parameters(
            iterations: hasher.iterations, memoryKiB: hasher.memoryKiB,
            parallelism: hasher.parallelism)

        lock.lock()
        defer { lock.unlock() }
        if let existing = hashes[key] { return existing }

        // Parameters that cannot hash a password cannot verify one either: every verify
        // with them fails, and so does the decoy, which then needs no valid hash.
        let password = Credential.generate(prefix: "")
        let decoy = (try? hasher.hash(password)) ?? "$argon2id$unusable"
        hashes[key] = decoy
        return decoy
    }
}
