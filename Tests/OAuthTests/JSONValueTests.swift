import Testing

@testable import LatchkeyOAuth

struct JSONValueTests {
    @Test func serialized_keepsKeyOrder() {
        let value = JSONValue.object([
            ("id", .int(1)), ("username", .string("steve")), ("link", .string("/api/v1/me")),
            ("ok", .bool(true)), ("none", .null), ("list", .array([.int(-2), .string("a")])),
        ])
        #expect(
            value.serialized
                == #"{"id":1,"username":"steve","link":"/api/v1/me","ok":true,"none":null,"#
                + #""list":[-2,"a"]}"#
        )
    }

    @Test(arguments: [
        ("quote\"", #""quote\"""#),
        ("back\\slash", #""back\\slash""#),
        ("line\nfeed\ttab", #""line\nfeed\ttab""#),
        ("\u{1}", #""\u0001""#),
        ("<script>&", #""\u003cscript\u003e\u0026""#),
        ("é✓", "\"é✓\""),
        ("a\u{2028}b\u{2029}", #""a\u2028b\u2029""#),
        ("€\u{2027}\u{202A}", "\"€\u{2027}\u{202A}\""),
        ("\u{7F}\u{1F}\r", #""\#u{7F}\u001f\r""#),
        ("plain ASCII, no escapes", #""plain ASCII, no escapes""#),
    ])
    func serialized_escapesStrings(text: String, expected: String) {
        #expect(JSONValue.string(text).serialized == expected)
        #expect(JSONValue.string(text).serializedBytes == Array(expected.utf8))
    }

    @Test func oauthError_json_isRFC6749Body() {
        let error = OAuthError(.invalidGrant, "The code is not valid.")
        #expect(
            error.json.serialized
                == #"{"error":"invalid_grant","error_description":"The code is not valid."}"#)
        #expect(error.status == 400)
        #expect(OAuthError(.invalidClient, "x").status == 401)
    }
}
