#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The check on a URL's host that Foundation made and FoundationEssentials does not.
///
/// With the whole of Foundation loaded, `URLComponents(string:)` gave a host it found
/// invalid to IDNA (UTS #46), and returned nil when IDNA could not make it valid: so a
/// URL whose host holds an ASCII character RFC 3986 does not allow there (`<`, `"`, `\`,
/// `%` without two hex digits, a control character...) was refused. FoundationEssentials
/// has no IDNA and percent-encodes such a host instead, which would let `https://a"b/`
/// pass as a redirect URI. Callers that decide where a browser is sent check this first,
/// so that every ASCII host is judged as before.
///
/// Non-ASCII hosts are left to `URLComponents`: Foundation wrote them as IDNA
/// (`xn--exmple-cua.com`), FoundationEssentials percent-encodes them
/// (`ex%C3%A4mple.com`), which browsers read as the same host.
public enum URLHost {
    /// False when the host of `url`, as written, holds an ASCII character that is neither
    /// unreserved, a sub-delimiter (RFC 3986 §3.2.2 reg-name) nor part of a `%XX` escape.
    /// True for a URL without a host and for an IP literal (`[::1]`), which Foundation and
    /// FoundationEssentials read alike.
    public static func hasNoForbiddenASCII(in url: String) -> Bool {
        let bytes = Array(url.utf8)
        guard let host = hostRange(in: bytes) else { return true }

        var index = host.lowerBound
        while index < host.upperBound {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < host.upperBound, isHexDigit(bytes[index + 1]),
                    isHexDigit(bytes[index + 2])
                else { return false }
                index += 3
            } else {
                guard byte >= 0x80 || isRegularNameCharacter(byte) else { return false }
                index += 1
            }
        }
        return true
    }

    /// Where the host is, found the way swift-foundation's RFC 3986 parser finds it: the
    /// scheme ends at the first `:` unless one of `/?#[]@` comes first; the authority
    /// follows `//` up to `/`, `?` or `#`; the host follows its last `@` and ends at a
    /// `:`. Nil without a host or for an IP literal.
    private static func hostRange(in bytes: [UInt8]) -> Range<Int>? {
        var index = 0
        var afterScheme = 0
        scheme: while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: ":"):
                if index > 0 { afterScheme = index + 1 }
                break scheme
            case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "["),
                UInt8(ascii: "]"), UInt8(ascii: "@"):
                break scheme
            default:
                index += 1
            }
        }

        guard afterScheme + 1 < bytes.count, bytes[afterScheme] == UInt8(ascii: "/"),
            bytes[afterScheme + 1] == UInt8(ascii: "/")
        else { return nil }
        let authorityStart = afterScheme + 2
        let authorityEnd =
            bytes[authorityStart...].firstIndex {
                $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
            } ?? bytes.count
        let authority = bytes[authorityStart..<authorityEnd]

        let hostStart = authority.lastIndex(of: UInt8(ascii: "@")).map { $0 + 1 } ?? authorityStart
        if hostStart < authorityEnd, bytes[hostStart] == UInt8(ascii: "["),
            authority[hostStart...].contains(UInt8(ascii: "]"))
        {
            return nil
        }
        let hostEnd = authority[hostStart...].firstIndex(of: UInt8(ascii: ":")) ?? authorityEnd
        return hostStart..<hostEnd
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "F"),
            UInt8(ascii: "a")...UInt8(ascii: "f"):
            true
        default: false
        }
    }

    /// RFC 3986 unreserved characters and sub-delimiters.
    private static func isRegularNameCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default: "-._~!$&'()*+,;=".utf8.contains(byte)
        }
    }
}

extension URLComponents {
    /// `URLComponents(string:)`, and nil also for a host with ASCII characters no host may
    /// hold, as with the whole of Foundation (see ``URLHost``). Every parse that decides
    /// where a browser is sent or what becomes a link goes through this.
    public init?(checkingHost text: String) {
        guard URLHost.hasNoForbiddenASCII(in: text) else { return nil }
        self.init(string: text)
    }
}
