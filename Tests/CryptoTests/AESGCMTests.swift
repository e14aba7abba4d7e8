import Testing

@testable import LatchkeyCrypto

struct AESGCMTests {
    /// McGrew and Viega, "The Galois/Counter Mode of Operation", test case 14: a zero
    /// 256-bit key, zero nonce and one zero block.
    @Test func gcmSpecTestCase14_isReproduced() throws {
        let box = try AESGCM.seal(
            [UInt8](repeating: 0, count: 16), key: [UInt8](repeating: 0, count: 32),
            nonce: [UInt8](repeating: 0, count: 12), associatedData: [])

        #expect(
            Hex.encode(Array(box.dropFirst(12).prefix(16))) == "cea7403d4d606b6e074ec5d3baf39d18")
        #expect(Hex.encode(Array(box.suffix(16))) == "d0d1c8a799996bf0265b98b5d48ab919")
    }

    @Test func sealedBox_opensWithTheSameKeyAndData() throws {
        let key = SecureRandom.bytes(count: 32)
        let box = try AESGCM.seal(bytes("private key"), key: key, associatedData: bytes("kid"))

        #expect(AESGCM.open(box, key: key, associatedData: bytes("kid")) == bytes("private key"))
        #expect(!box.contains(subsequence: bytes("private key")))
    }

    @Test func sealedBox_wrongKeyDataOrByte_opensToNothing() throws {
        let key = SecureRandom.bytes(count: 32)
        let box = try AESGCM.seal(bytes("private key"), key: key, associatedData: bytes("kid"))
        var flipped = box
        flipped[14] ^= 0x01

        #expect(
            AESGCM.open(box, key: SecureRandom.bytes(count: 32), associatedData: bytes("kid"))
                == nil)
        #expect(AESGCM.open(box, key: key, associatedData: bytes("other")) == nil)
        #expect(AESGCM.open(flipped, key: key, associatedData: bytes("kid")) == nil)
        #expect(AESGCM.open(Array(box.prefix(20)), key: key, associatedData: bytes("kid")) == nil)
    }
}

extension Array where Element == UInt8 {
    fileprivate func contains(subsequence: [UInt8]) -> Bool {
        guard subsequence.count <= count else { return false }
        return (0...(count - subsequence.count)).contains {
            Array(self[$0..<$0 + subsequence.count]) == subsequence
        }
    }
}
