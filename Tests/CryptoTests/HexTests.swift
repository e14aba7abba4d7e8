import LatchkeyCrypto
import Testing

struct HexTests {
    @Test func encode_bytes_isLowercaseTwoDigitsEach() {
        #expect(Hex.encode([]) == "")
        #expect(Hex.encode([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    }
}
