import LatchkeyCrypto
import Testing

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
