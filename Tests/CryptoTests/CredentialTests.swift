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
}
