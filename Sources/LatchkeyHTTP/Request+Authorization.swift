#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension Request {
    /// Credentials from `Authorization: Basic ...` (RFC 7617 §2): the scheme in any case,
    /// standard base64, split at the first colon, UTF-8. Nil when absent or malformed, and
    /// when the request carries more than one `Authorization` header, since which one
    /// counts would be a guess.
    public var basicCredentials: BasicCredentials? {
        guard let encoded = authorization(scheme: "basic"),
            let decoded = Data(base64Encoded: encoded),
            let text = String(validating: decoded, as: UTF8.self),
            let colon = text.utf8.firstIndex(of: UInt8(ascii: ":"))
        else { return nil }
        return BasicCredentials(
            username: String(text[..<colon]),
            password: String(text[text.utf8.index(after: colon)...]))
    }

    /// The token from `Authorization: Bearer ...` (RFC 6750 §2.1), the scheme in any
    /// case. Nil when absent, when the token is not a `b64token`, or when the request
    /// carries more than one `Authorization` header.
    public var bearerToken: String? {
        guard var token = authorization(scheme: "bearer") else { return nil }

        // RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
        let isB64Token = token.withUTF8 { bytes in
            let bodyEnd = bytes.firstIndex(of: UInt8(ascii: "=")) ?? bytes.endIndex
            return bodyEnd != 0 && bytes[..<bodyEnd].allSatisfy(Self.isTokenByte)
                && bytes[bodyEnd...].allSatisfy { $0 == UInt8(ascii: "=") }
        }
        return isB64Token ? token : nil
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
            UInt8(ascii: "+"), UInt8(ascii: "/"):
            true
        default: false
        }
    }

    /// The credentials after `scheme` (lowercase ASCII, matched case-insensitively) and one
    /// or more spaces.
    ///
    /// Works on the header's bytes in one buffer: this runs on every API call, and
    /// stepping through string indices cost more than the rest of the parsing.
    private func authorization(scheme: String) -> String? {
        var values = headers.lazy.filter { $0.name == "authorization" }.map(\.value).makeIterator()
        guard var value = values.next(), values.next() == nil else { return nil }
        let space = UInt8(ascii: " ")
        return value.withUTF8 { bytes -> String? in
            guard let schemeEnd = bytes.firstIndex(of: space),
                Self.equalsIgnoringASCIICase(bytes[..<schemeEnd], lowercase: scheme)
            else { return nil }
            let credentials = bytes[schemeEnd...].drop { $0 == space }
            guard !credentials.isEmpty, !credentials.contains(space) else { return nil }
            // Cut at ASCII spaces only, so the bytes are still whole UTF-8 characters.
            return String(decoding: credentials, as: UTF8.self)
        }
    }

    /// RFC 9110 §11.1: an authentication scheme is an ASCII token, compared without case.
    private static func equalsIgnoringASCIICase(
        _ bytes: Slice<UnsafeBufferPointer<UInt8>>, lowercase: String
    ) -> Bool {
        bytes.elementsEqual(lowercase.utf8) { byte, lower in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                ? byte | 0x20 == lower : byte == lower
        }
    }
}
