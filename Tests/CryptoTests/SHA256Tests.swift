import LatchkeyCrypto
import Testing

struct SHA256Tests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let message: String
        let digest: String
        var testDescription: String { name }
    }

    /// FIPS 180-2 appendix B (SHA-256 examples) and the empty message.
    static let vectors = [
        Vector(
            name: "abc", message: "abc",
            digest: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        Vector(
            name: "empty", message: "",
            digest: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        Vector(
            name: "448-bit", message: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            digest: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ]

    @Test(arguments: vectors)
    func hash_publishedVector_matches(vector: Vector) {
        #expect(SHA256.hash(bytes(vector.message)) == bytes(hex: vector.digest))
        #expect(SHA256.hexDigest(vector.message) == vector.digest)
    }

    @Test func hash_millionA_matchesFIPSLongVector() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(
            Hex.encode(SHA256.hash(message))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func hexDigest_unicode_hashesUTF8Bytes() {
        #expect(SHA256.hexDigest("é") == Hex.encode(SHA256.hash([0xc3, 0xa9])))
        #expect(SHA256.hexDigest("é").count == 64)
    }

    /// The buffer form hashes exactly the bytes it is given, wherever they start: the
    /// credential checksum hashes a prefix of the credential in place.
    @Test func hashIntoBuffer_sliceOfALargerBuffer_hashesOnlyTheSlice() {
        let framed = Array("xxabcyy".utf8)
        var digest = [UInt8](repeating: 0, count: SHA256.digestLength + 1)
        framed.withUnsafeBytes { all in
            digest.withUnsafeMutableBufferPointer { output in
                SHA256.hash(UnsafeRawBufferPointer(rebasing: all[2..<5]), into: output.baseAddress!)
            }
        }
        #expect(Array(digest.prefix(32)) == SHA256.hash(bytes("abc")))
        // Exactly 32 bytes are written.
        #expect(digest[32] == 0)
    }
}
