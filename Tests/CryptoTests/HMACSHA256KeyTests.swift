import Dispatch
import LatchkeyCrypto
import Synchronization
import Testing

struct HMACSHA256KeyTests {
    @Test(arguments: HMACSHA256Tests.vectors)
    func authenticationCode_rfc4231Vector_matches(vector: HMACSHA256Tests.Vector) {
        let key = HMACSHA256Key(vector.key)

        let mac = key.authenticationCode(vector.data)

        #expect(mac.count == 32)
        let expected = bytes(hex: vector.mac)
        #expect(Array(mac.prefix(expected.count)) == expected)
    }

    /// Each message starts again from the keyed state: a reused context must neither lose
    /// the key nor carry the previous message over.
    @Test func authenticationCode_repeatedOnOneKey_givesEachMessageItsOwnCode() {
        let key = HMACSHA256Key(bytes("Jefe"))

        let first = key.authenticationCode(bytes("what do ya want for nothing?"))
        let other = key.authenticationCode(bytes("something else"))
        let again = key.authenticationCode(bytes("what do ya want for nothing?"))

        // RFC 4231 §4.3.
        let expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        #expect(Hex.encode(first) == expected)
        #expect(Hex.encode(again) == expected)
        #expect(
            other
                == HMACSHA256.authenticationCode(
                    key: bytes("Jefe"), message: bytes("something else")))
    }

    @Test func authenticationCode_emptyKeyAndMessage_isTheKnownValue() {
        let mac = HMACSHA256Key([]).authenticationCode([])

        // The same value as HMACSHA256Tests' one-shot check: an empty key is a key.
        #expect(
            Hex.encode(mac) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    /// Request threads share one key; every one of them must get the one-shot's answer.
    @Test func authenticationCode_fromManyThreadsAtOnce_matchesTheOneShot() {
        let keyBytes = [UInt8](repeating: 0x42, count: 32)
        let key = HMACSHA256Key(keyBytes)
        let messages = (0..<64).map { bytes("lks_message-\($0)") }
        let expected = messages.map { HMACSHA256.authenticationCode(key: keyBytes, message: $0) }

        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for round in 0..<200 {
                let index = (thread * 7 + round) % messages.count
                if key.authenticationCode(messages[index]) != expected[index] {
                    mismatches.withLock { $0 += 1 }
                }
            }
        }

        #expect(mismatches.withLock { $0 } == 0)
    }
}
