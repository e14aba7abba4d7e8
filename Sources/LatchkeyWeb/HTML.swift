import LatchkeyText

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Helpers that make untrusted text safe to place inside an HTML document.
public enum HTML {
    /// Escapes `&`, `<`, `>`, `"` and `'` so that `text` can go into element content
    /// and into quoted attribute values alike.
    ///
    /// Every user-supplied string on every page passes through here. The scan runs over
    /// UTF-8 bytes rather than `Character`s on purpose: a quote followed by a combining
    /// mark is one `Character` that is not equal to `"`, yet the browser still reads the
    /// quote and would end the attribute.
    public static func escape(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: needsEscaping) else { return text }

        var output: [UInt8] = []
        output.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): output.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): output.append(contentsOf: "&#39;".utf8)
            default: output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func needsEscaping(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""),
            UInt8(ascii: "'"):
            return true
        default:
            return false
        }
    }
}

extension HTML {
    /// Percent-encodes all but the characters RFC 3986 §2.3 calls unreserved, for a URL
    /// path segment or a query value, so that a client ID can never add a `/`, `?` or `#`
    /// to a path.
    static func percentEncoded(_ segment: String) -> String {
        PercentEncoding.encodingAllButUnreserved(segment)
    }

    /// Whether `url` may be the `href` of a link: only absolute http and https URLs,
    /// so that a registered `javascript:` or `data:` "main URL" is shown as text only.
    static func isLinkable(_ url: String) -> Bool {
        guard let components = URLComponents(checkingHost: url),
            let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else { return false }
        return true
    }
}
