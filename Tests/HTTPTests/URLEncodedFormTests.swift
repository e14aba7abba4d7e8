import Testing

@testable import LatchkeyHTTP

struct URLEncodedFormTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let encoded: String
        let pairs: [Pair]
        var testDescription: String { "\"\(encoded)\"" }
    }

    struct Pair: Equatable, Sendable {
        let name: String
        let value: String
        init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    static let cases: [Case] = [
        Case(encoded: "", pairs: []),
        Case(encoded: "a=1&b=2", pairs: [Pair("a", "1"), Pair("b", "2")]),
        Case(encoded: "q=a+b", pairs: [Pair("q", "a b")]),
        Case(encoded: "q=a%2Bb", pairs: [Pair("q", "a+b")]),
        Case(encoded: "q=%2B+%2B", pairs: [Pair("q", "+ +")]),
        Case(encoded: "na+me=v", pairs: [Pair("na me", "v")]),
        Case(encoded: "city=K%C3%B8benhavn", pairs: [Pair("city", "København")]),
        Case(encoded: "euro=%E2%82%AC", pairs: [Pair("euro", "€")]),
        Case(encoded: "s=a&s=b&s=a", pairs: [Pair("s", "a"), Pair("s", "b"), Pair("s", "a")]),
        Case(encoded: "empty=&x=1", pairs: [Pair("empty", ""), Pair("x", "1")]),
        Case(encoded: "flag&x=1", pairs: [Pair("flag", ""), Pair("x", "1")]),
        Case(encoded: "a=1&&b=2", pairs: [Pair("a", "1"), Pair("b", "2")]),
        Case(encoded: "&&a=1&", pairs: [Pair("a", "1")]),
        Case(encoded: "=v", pairs: [Pair("", "v")]),
        Case(encoded: "eq=a=b=c", pairs: [Pair("eq", "a=b=c")]),
        Case(encoded: "enc=%3D%26", pairs: [Pair("enc", "=&")]),
        Case(encoded: "lower=%c3%a9", pairs: [Pair("lower", "é")]),
    ]

    @Test(arguments: cases)
    func decode_validInput_givesPairsInOrder(_ testCase: Case) throws {
        let pairs = try URLEncodedForm.decode(Substring(testCase.encoded), limit: 100)

        #expect(pairs.map { Pair($0.name, $0.value) } == testCase.pairs)
    }

    @Test(arguments: ["a=%zz", "a=%4", "a=%C3%28", "%=1", "a=100%", "%ZZ=1", "a=%FF", "a=%C3"])
    func decode_malformedPercentEncoding_isMalformedEncoding(_ encoded: String) {
        #expect(throws: ParameterError.malformedEncoding) {
            try URLEncodedForm.decode(Substring(encoded), limit: 100)
        }
    }

    @Test func decode_moreThanLimit_isTooManyParameters() {
        let encoded = (1...101).map { "p\($0)=v" }.joined(separator: "&")

        #expect(throws: ParameterError.tooManyParameters(limit: 100)) {
            try URLEncodedForm.decode(Substring(encoded), limit: 100)
        }
    }

    @Test func decode_exactlyLimit_isAccepted() throws {
        let encoded = (1...100).map { "p\($0)=v" }.joined(separator: "&")

        #expect(try URLEncodedForm.decode(Substring(encoded), limit: 100).count == 100)
    }

    @Test func decode_emptyPairs_doNotCountTowardsLimit() throws {
        let pairs = try URLEncodedForm.decode("a=1&&&&&&b=2", limit: 2)

        #expect(pairs.count == 2)
    }

    @Test func decodePath_plusSign_staysPlus() throws {
        #expect(try URLEncodedForm.path("/a+b%20c") == "/a+b c")
    }

    @Test(arguments: ["/%zz", "/%4", "/%C3%28"])
    func decodePath_malformed_isMalformedEncoding(_ path: String) {
        #expect(throws: ParameterError.malformedEncoding) {
            try URLEncodedForm.path(Substring(path))
        }
    }
}
