import LatchkeyCrypto
import Testing

struct HMACSHA256Tests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let testCase: Int
        let key: [UInt8]
        let data: [UInt8]
        let mac: String
        var testDescription: String { "RFC 4231 test case \(testCase)" }
    }

    /// RFC 4231 §4.2-§4.8, HMAC-SHA-256 results. Case 5 is published truncated to 128 bits.
    static let vectors = [
        Vector(
            testCase: 1, key: [UInt8](repeating: 0x0b, count: 20), data: bytes("Hi There"),
            mac: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        Vector(
            testCase: 2, key: bytes("Jefe"), data: bytes("what do ya want for nothing?"),
            mac: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        Vector(
            testCase: 3, key: [UInt8](repeating: 0xaa, count: 20),
            data: [UInt8](repeating: 0xdd, count: 50),
            mac: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        Vector(
            testCase: 4, key: bytes(hex: "0102030405060708090a0b0c0d0e0f10111213141516171819"),
            data: [UInt8](repeating: 0xcd, count: 50),
            mac: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        Vector(
            testCase: 5, key: [UInt8](repeating: 0x0c, count: 20),
            data: bytes("Test With Truncation"), mac: "a3b6167473100ee06e0c796c2955552b"),
        Vector(
            testCase: 6, key: [UInt8](repeating: 0xaa, count: 131),
            data: bytes("Test Using Larger Than Block-Size Key - Hash Key First"),
            mac: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        Vector(
            testCase: 7, key: [UInt8](repeating: 0xaa, count: 131),
            data: bytes(
                "This is a test using a larger than block-size key and a larger than "
                    + "block-size data. The key needs to be hashed before being used by the "
                    + "HMAC algorithm."),
            mac: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test(arguments: vectors)
    func authenticationCode_rfc4231Vector_matches(vector: Vector) {
        let mac = HMACSHA256.authenticationCode(key: vector.key, message: vector.data)

        #expect(mac.count == 32)
        let expected = bytes(hex: vector.mac)
        #expect(Array(mac.prefix(expected.count)) == expected)
    }

    @Test func authenticationCode_emptyKeyAndMessage_isTheKnownValue() {
        // HMAC-SHA-256 with an empty key over an empty message, as computed by any
        // conforming implementation (for example `openssl dgst -sha256 -hmac ""`).
        let mac = HMACSHA256.authenticationCode(key: [], message: [])

        #expect(
            Hex.encode(mac) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test func authenticationCode_differentKeys_differ() {
        let first = HMACSHA256.authenticationCode(key: bytes("one"), message: bytes("m"))
        let second = HMACSHA256.authenticationCode(key: bytes("two"), message: bytes("m"))

        #expect(first != second)
    }
}
