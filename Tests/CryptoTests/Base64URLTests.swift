import LatchkeyCrypto
import Testing

struct Base64URLTests {
    /// RFC 4648 §10 test vectors (identical in the URL alphabet, written without padding).
    static let rfc4648Vectors: [(String, String)] = [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"),
        ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
    ]

    @Test(arguments: rfc4648Vectors)
    func encode_rfc4648Vector_matchesWithoutPadding(plain: String, encoded: String) {
        #expect(Base64URL.encode(bytes(plain)) == encoded)
        #expect(Base64URL.decode(encoded) == bytes(plain))
    }

    /// Bytes whose standard encoding uses `+`, `/` and padding.
    static let urlAlphabetVectors: [([UInt8], String)] = [
        ([0xfb, 0xff], "-_8"), ([0xfb, 0xef, 0xbe], "----"), ([0xff, 0xff, 0xff], "____"),
        ([0x3e, 0x3f], "Pj8"),
    ]

    @Test(arguments: urlAlphabetVectors)
    func encode_bytesNeedingURLAlphabet_useDashAndUnderscore(input: [UInt8], encoded: String) {
        #expect(Base64URL.encode(input) == encoded)
        #expect(Base64URL.decode(encoded) == input)
    }

    @Test(arguments: ["Zg==", "Zm8="])
    func decode_correctPadding_isAccepted(text: String) {
        #expect(
            Base64URL.decode(text) == Base64URL.decode(String(text.prefix(while: { $0 != "=" }))))
        #expect(Base64URL.decode(text) != nil)
    }

    @Test func encodeThenDecode_everyLengthOfRandomBytes_roundTrips() {
        for length in 0...70 {
            let input = SecureRandom.bytes(count: length)
            let encoded = Base64URL.encode(input)

            #expect(!encoded.contains("="))
            #expect(!encoded.contains("+"))
            #expect(!encoded.contains("/"))
            #expect(Base64URL.decode(encoded) == input)
        }
    }

    static let invalidInputs = [
        "Z",  // a length no encoding produces
        "Zm9vY",  // likewise, after a full quantum
        "Zg=",  // padding that does not complete the quantum
        "Zg===",  // too much padding
        "=Zg",  // padding first
        "Z=g=",  // padding in the middle
        "Zm9v+A",  // standard alphabet, not URL
        "Zm9v/A",
        "Zm 9v",  // whitespace
        "Zm9v\n",
        "Zé",  // non-ASCII
        "Zh",  // non-zero trailing bits: a second spelling of "f"
        "Zm9=",
        "====",
    ]

    @Test(arguments: invalidInputs)
    func decode_invalidInput_isNil(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}
