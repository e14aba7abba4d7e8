import CArgon2
import Foundation
import Testing

@testable import LatchkeyCrypto

struct PasswordHasherTests {
    /// Small parameters keep the round-trip tests fast; the defaults are covered once.
    let fast = PasswordHasher(iterations: 1, memoryKiB: 1024, parallelism: 1)

    /// RFC 9106 §5.3, the Argon2id test vector. It uses a secret and associated data,
    /// which the encoded API cannot pass, so it runs through libargon2's context API: it
    /// proves the linked library computes Argon2id version 0x13 as published.
    @Test func libargon2_rfc9106Argon2idVector_matches() {
        var password = [UInt8](repeating: 0x01, count: 32)
        var salt = [UInt8](repeating: 0x02, count: 16)
        var secret = [UInt8](repeating: 0x03, count: 8)
        var associatedData = [UInt8](repeating: 0x04, count: 12)
        var tag = [UInt8](repeating: 0, count: 32)

        let status = argon2idContextHash(
            tag: &tag, password: &password, salt: &salt, secret: &secret,
            associatedData: &associatedData)

        #expect(status == ARGON2_OK.rawValue)
        #expect(
            tag
                == bytes(
                    hex: "0d 64 0d f5 8d 78 76 6c 08 c0 37 a3 4a 8b 53 c9"
                        + "d0 1e f0 45 2d 75 b6 5e b5 25 20 e9 6b 01 e6 59"))
    }

    /// The Argon2id vector of the reference implementation's own test suite
    /// (phc-winner-argon2 `src/test.c`, version 0x13, t=2, m=65536, p=1).
    static let referenceEncoded =
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"

    @Test func hash_referenceVectorSalt_producesReferenceEncoding() throws {
        let hasher = PasswordHasher(iterations: 2, memoryKiB: 65_536, parallelism: 1)

        let encoded = try hasher.hash("password", salt: bytes("somesalt"))

        #expect(encoded == Self.referenceEncoded)
    }

    @Test func verify_referenceVector_acceptsOnlyItsPassword() {
        #expect(fast.verify("password", encoded: Self.referenceEncoded))
        #expect(!fast.verify("Password", encoded: Self.referenceEncoded))
    }

    @Test func hashThenVerify_defaultParameters_roundTrips() throws {
        let hasher = PasswordHasher()

        let encoded = try hasher.hash("correct horse battery staple")

        #expect(encoded.hasPrefix("$argon2id$v=19$m=12288,t=3,p=1$"))
        #expect(hasher.verify("correct horse battery staple", encoded: encoded))
    }

    @Test(arguments: ["", "pässwörd 🔑", String(repeating: "x", count: 10_000), "a\u{0}b"])
    func hashThenVerify_unusualPassword_roundTrips(password: String) throws {
        let encoded = try fast.hash(password)

        #expect(fast.verify(password, encoded: encoded))
        #expect(!fast.verify(password + " ", encoded: encoded))
    }

    @Test func hash_samePasswordTwice_usesFreshSalts() throws {
        #expect(try fast.hash("same") != fast.hash("same"))
    }

    @Test(arguments: ["wrong", "", "Secret", "secret "])
    func verify_wrongPassword_isFalse(password: String) throws {
        let encoded = try fast.hash("secret")

        #expect(!fast.verify(password, encoded: encoded))
    }

    static let malformed = [
        "",
        "not a hash",
        "$argon2id$",
        "$argon2id$v=19$m=1024,t=1,p=1$",
        "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHQ",
        "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHQ$!!!!",
        "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA",
        "$argon2d$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        String(Self.referenceEncoded.dropLast(4)),
        "$2b$12$abcdefghijklmnopqrstuuFq8mdbz0Px3qF7NZ0I5pXWq5GJp5Kp6",
    ]

    @Test(arguments: malformed)
    func verify_malformedEncoded_isFalse(encoded: String) {
        #expect(!fast.verify("password", encoded: encoded))
    }

    @Test func hash_impossibleParameters_throws() {
        let broken = PasswordHasher(iterations: 0, memoryKiB: 1024, parallelism: 1)

        #expect(throws: PasswordHashingError.self) { try broken.hash("password") }
    }

    @Test func decoyHash_isStableVerifiableArgon2idOfNoKnownPassword() {
        let decoy = fast.decoyHash

        #expect(decoy == fast.decoyHash)
        #expect(decoy.hasPrefix("$argon2id$v=19$m=1024,t=1,p=1$"))
        #expect(!fast.verify("", encoded: decoy))
        #expect(!fast.verify("password", encoded: decoy))
    }
}

/// Runs Argon2id version 0x13 with 3 passes over 32 KiB in 4 lanes: the RFC 9106 §5.3
/// parameters.
private func argon2idContextHash(
    tag: inout [UInt8], password: inout [UInt8], salt: inout [UInt8], secret: inout [UInt8],
    associatedData: inout [UInt8]
) -> Int32 {
    var context = argon2_context()
    return tag.withUnsafeMutableBufferPointer { tagBuffer in
        password.withUnsafeMutableBufferPointer { passwordBuffer in
            salt.withUnsafeMutableBufferPointer { saltBuffer in
                secret.withUnsafeMutableBufferPointer { secretBuffer in
                    associatedData.withUnsafeMutableBufferPointer { adBuffer in
                        context.out = tagBuffer.baseAddress
                        context.outlen = UInt32(tagBuffer.count)
                        context.pwd = passwordBuffer.baseAddress
                        context.pwdlen = UInt32(passwordBuffer.count)
                        context.salt = saltBuffer.baseAddress
                        context.saltlen = UInt32(saltBuffer.count)
                        context.secret = secretBuffer.baseAddress
                        context.secretlen = UInt32(secretBuffer.count)
                        context.ad = adBuffer.baseAddress
                        context.adlen = UInt32(adBuffer.count)
                        context.t_cost = 3
                        context.m_cost = 32
                        context.lanes = 4
                        context.threads = 4
                        context.version = UInt32(ARGON2_VERSION_13.rawValue)
                        context.flags = 0  // ARGON2_DEFAULT_FLAGS: keep password and secret
                        return argon2id_ctx(&context)
                    }
                }
            }
        }
    }
}

/// Hashes are gated to one per core; more threads asking only wait.
struct HashGateTests {
    @Test func gate_letsNoMoreThanItsWidthRunAtOnce() {
        let gate = HashGate(width: 2)
        let threads = (0..<6).map { _ in
            Thread { _ = gate.run { usleep(50_000) } }
        }
        threads.forEach { $0.start() }
        while threads.contains(where: { !$0.isFinished }) { usleep(10_000) }
        #expect(gate.peak == 2)
    }

    /// Hashing and verifying both wait while the gate is full, and go on once it frees.
    @Test func hashAndVerify_waitForTheGate() throws {
        let gate = HashGate(width: 1)
        let hasher = PasswordHasher(iterations: 1, memoryKiB: 1024, parallelism: 1, gate: gate)
        let encoded = try hasher.hash("secret")

        let release = DispatchSemaphore(value: 0)
        let holding = DispatchSemaphore(value: 0)
        Thread {
            gate.run {
                holding.signal()
                release.wait()
            }
        }.start()
        holding.wait()

        let hashed = DispatchSemaphore(value: 0)
        let verified = DispatchSemaphore(value: 0)
        Thread {
            _ = try? hasher.hash("other")
            hashed.signal()
        }.start()
        Thread {
            #expect(hasher.verify("secret", encoded: encoded))
            verified.signal()
        }.start()
        #expect(hashed.wait(timeout: .now() + .milliseconds(300)) == .timedOut)
        #expect(verified.wait(timeout: .now()) == .timedOut)
        release.signal()
        #expect(hashed.wait(timeout: .now() + .seconds(10)) == .success)
        #expect(verified.wait(timeout: .now() + .seconds(10)) == .success)
        #expect(gate.peak == 1)
    }
}
