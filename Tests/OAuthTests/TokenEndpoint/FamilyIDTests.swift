import Foundation
import Testing

@testable import LatchkeyOAuth

/// Family ids lead with the time they were made, so that the indexes holding them grow
/// at their end; the rest is random, so that they stay unique.
struct FamilyIDTests {
    @Test func familyID_leadsWithTheMillisecondsSince1970() {
        let made = Date(timeIntervalSince1970: 1_800_000_000.125)

        let id = TokenIssuer.newFamilyID(at: made)

        // 1,800,000,000,125 ms = 0x01a3185c507d, as 12 hex digits.
        #expect(id.count == 32)
        #expect(id.hasPrefix("01a3185c507d"))
        #expect(id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
    }

    @Test func familyIDs_sortInTheOrderTheyWereMade() {
        // Steps of 1/64 s: exact in binary, so each lands in a later millisecond.
        let times = (0..<50).map { Date(timeIntervalSince1970: 1_800_000_000 + Double($0) / 64) }

        let ids = times.map(TokenIssuer.newFamilyID(at:))

        #expect(ids == ids.sorted())
    }

    @Test func familyIDs_madeInTheSameMillisecond_differ() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)

        let ids = Set((0..<1000).map { _ in TokenIssuer.newFamilyID(at: now) })

        #expect(ids.count == 1000)
    }
}
