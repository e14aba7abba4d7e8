import LatchkeyCrypto
import Testing

struct CredentialTests {
    @Test(arguments: ["lka_", "lkr_", ""])
    func generate_default_isPrefixPlus43Base64URLCharacters(prefix: String) {
        let credential = Credential.generate(prefix: prefix)

        #expect(credential.hasPrefix(prefix))
        let body = String(credential.dropFirst(prefix.count))
        #expect(body.count == 43)
        #expect(Base64URL.decode(body)?.count == 32)
    }

    @Test func generate_customLength_encodesThatManyBytes() {
        let credential = Credential.generate(prefix: "x_", randomBytes: 16)

        #expect(Base64URL.decode(String(credential.dropFirst(2)))?.count == 16)
    }

    @Test func generate_manyTimes_neverRepeats() {
        let credentials = (0..<10_000).map { _ in Credential.generate(prefix: "lka_") }

        #expect(Set(credentials).count == credentials.count)
    }

    @Test func secureRandomBytes_lengths_areExact() {
        #expect(SecureRandom.bytes(count: 0).isEmpty)
        #expect(SecureRandom.bytes(count: 1).count == 1)
        #expect(SecureRandom.bytes(count: 4096).count == 4096)
        #expect(SecureRandom.bytes(count: 32) != SecureRandom.bytes(count: 32))
    }
}

struct ConstantTimeEqualsTests {
    static let cases: [([UInt8], [UInt8], Bool)] = [
        ([], [], true),
        ([1, 2, 3], [1, 2, 3], true),
        ([1, 2, 3], [1, 2, 4], false),
        ([9, 2, 3], [1, 2, 3], false),
        ([1, 2, 3], [1, 2], false),
        ([1, 2], [1, 2, 3], false),
        ([], [0], false),
    ]

    @Test(arguments: cases)
    func constantTimeEquals_pair_matchesOrdinaryEquality(
        lhs: [UInt8], rhs: [UInt8], expected: Bool
    ) {
        #expect(constantTimeEquals(lhs, rhs) == expected)
    }
}
