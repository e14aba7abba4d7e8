import Testing

@testable import LatchkeyHTTP

/// What the handler sees for a request target and body, without a socket.
struct RequestDecodingTests {
    private func decode(
        _ target: String, body: String = "", contentType: String? = nil,
        configuration: HTTPServerConfiguration = HTTPServerConfiguration()
    ) -> Request {
        let state = RequestState(
            rawTarget: RawTarget(text: target), maxURLBytes: configuration.maxURLBytes)
        state.method = "POST"
        state.body = Array(body.utf8)
        if let contentType {
            state.headers = [("content-type", contentType)]
        }
        return Request.decoded(from: state, configuration: configuration)
    }

    @Test func target_withQuery_splitsPathAndQuery() {
        let request = decode("/a%20b/c?x=1&y=%2B")

        #expect(request.path == "/a b/c")
        #expect(request.rawQuery == "x=1&y=%2B")
        #expect(request.query == Parameters([("x", "1"), ("y", "+")]))
        #expect(request.parameterError == nil)
    }

    @Test func target_withoutQuery_hasNilRawQuery() {
        let request = decode("/healthz")

        #expect(request.rawQuery == nil)
        #expect(request.query.pairs.isEmpty)
    }

    @Test func target_emptyQuery_hasEmptyRawQuery() {
        #expect(decode("/x?").rawQuery == "")
    }

    @Test(arguments: [
        "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8",
        "Application/X-WWW-Form-URLEncoded ;charset=utf-8",
    ])
    func formBody_withFormContentType_isDecoded(_ contentType: String) {
        let request = decode(
            "/token", body: "grant_type=password&username=a+b", contentType: contentType)

        #expect(request.form == Parameters([("grant_type", "password"), ("username", "a b")]))
    }

    @Test(arguments: [nil, "application/json", "text/plain", "multipart/form-data"])
    func formBody_otherContentType_isNotDecoded(_ contentType: String?) {
        let request = decode("/token", body: "a=1", contentType: contentType)

        #expect(request.form.pairs.isEmpty)
        #expect(request.body == Array("a=1".utf8))
    }

    @Test func malformedQuery_emptiesQueryAndForm() {
        let request = decode(
            "/token?a=%zz", body: "b=2", contentType: "application/x-www-form-urlencoded")

        #expect(request.parameterError == .malformedEncoding)
        #expect(request.query.pairs.isEmpty)
        #expect(request.form.pairs.isEmpty)
    }

    @Test func malformedForm_emptiesQueryAndForm() {
        let request = decode(
            "/token?a=1", body: "b=%C3%28", contentType: "application/x-www-form-urlencoded")

        #expect(request.parameterError == .malformedEncoding)
        #expect(request.query.pairs.isEmpty)
        #expect(request.form.pairs.isEmpty)
    }

    @Test func formBodyNotUTF8_isMalformedEncoding() {
        let state = RequestState(rawTarget: RawTarget(text: "/"), maxURLBytes: 100)
        state.headers = [("content-type", "application/x-www-form-urlencoded")]
        state.body = [0x61, 0x3D, 0xFF]

        let request = Request.decoded(from: state, configuration: HTTPServerConfiguration())

        #expect(request.parameterError == .malformedEncoding)
    }

    @Test func malformedPath_isMalformedEncodingWithRawPath() {
        let request = decode("/a%zz?x=1")

        #expect(request.parameterError == .malformedEncoding)
        #expect(request.path == "/a%zz")
        #expect(request.query.pairs.isEmpty)
    }

    @Test func queryAndFormTogether_overLimit_isTooManyParameters() {
        let query = (1...60).map { "q\($0)=1" }.joined(separator: "&")
        let form = (1...60).map { "f\($0)=1" }.joined(separator: "&")

        let request = decode(
            "/t?" + query, body: form, contentType: "application/x-www-form-urlencoded")

        #expect(request.parameterError == .tooManyParameters(limit: 100))
        #expect(request.query.pairs.isEmpty)
        #expect(request.form.pairs.isEmpty)
    }

    @Test func queryAndFormTogether_atLimit_isAccepted() {
        let query = (1...50).map { "q\($0)=1" }.joined(separator: "&")
        let form = (1...50).map { "f\($0)=1" }.joined(separator: "&")

        let request = decode(
            "/t?" + query, body: form, contentType: "application/x-www-form-urlencoded")

        #expect(request.parameterError == nil)
        #expect(request.query.pairs.count == 50)
        #expect(request.form.pairs.count == 50)
    }

    @Test func targetOverURLLimit_isURLTooLongWithoutParameters() {
        let request = decode("/long?x=" + String(repeating: "a", count: 9000))

        #expect(request.limitViolation == .urlTooLong)
        #expect(request.path == "/long")
        #expect(request.query.pairs.isEmpty)
    }

    @Test func targetNotUTF8_isMalformedEncoding() {
        let bytes: [CChar] = [0x2F, 0x61, -0x01, 0x00]
        let target = bytes.withUnsafeBufferPointer { RawTarget(cString: $0.baseAddress!) }
        let state = RequestState(rawTarget: target, maxURLBytes: 100)

        let request = Request.decoded(from: state, configuration: HTTPServerConfiguration())

        #expect(request.parameterError == .malformedEncoding)
    }

    @Test func requestID_isSixteenHexDigitsAndVaries() {
        let ids = (1...10_000).map { _ in RequestID.make() }

        #expect(ids.allSatisfy { $0.count == 16 && $0.allSatisfy(\.isHexDigit) })
        #expect(Set(ids).count == 10_000)
    }

    @Test func requestIDMix_isSplitMix64sFinalizer() {
        // SplitMix64 seeded with 0 adds the golden gamma and mixes: its first output.
        #expect(RequestID.mixed(0x9E37_79B9_7F4A_7C15) == 0xE220_A839_7B1D_CDAF)
        // A permutation: neighbouring counts never meet.
        #expect(Set((0..<10_000).map { RequestID.mixed($0) }).count == 10_000)
    }

    @Test(arguments: [
        (UInt64(0), "0000000000000000"),
        (0xdead_beef, "00000000deadbeef"),
        (0x0123_4567_89ab_cdef, "0123456789abcdef"),
        (UInt64.max, "ffffffffffffffff"),
    ])
    func requestIDHex_isZeroPaddedLowerCase(value: UInt64, expected: String) {
        #expect(RequestID.hex(value) == expected)
    }
}
