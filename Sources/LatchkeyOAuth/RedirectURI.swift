import LatchkeyText

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Redirect URI rules (RFC 6749 §3.1.2, RFC 8252 §7.3) and building the URLs that
/// send a browser back to a client.
public enum RedirectURI {
    /// An absolute http or https URL with a host, at most 2,000 characters.
    public static func isAcceptableURL(_ text: String) -> Bool {
        guard text.count <= 2000, !text.contains(where: { $0.isWhitespace }),
            let components = URLComponents(checkingHost: text),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else { return false }
        return true
    }

    /// RFC 6749 §3.1.2: "The endpoint URI MUST NOT include a fragment component."
    public static func isAcceptableCallback(_ text: String) -> Bool {
        isAcceptableURL(text) && URLComponents(checkingHost: text)?.fragment == nil
    }

    /// Picks the registered callback a request may be sent to. Without `requested`, the
    /// first registered callback (the legacy flow names none). With it, an exact match,
    /// or for loopback callbacks the same URL on any port (RFC 8252 §7.3).
    public static func resolve(requested: String?, registered: [String]) -> String? {
        guard let requested else { return registered.first }
        if registered.contains(requested) { return requested }
        guard let asked = URLComponents(checkingHost: requested), isLoopback(asked) else {
            return nil
        }
        for candidate in registered {
            guard var allowed = URLComponents(checkingHost: candidate), isLoopback(allowed) else {
                continue
            }
            allowed.port = asked.port
            if allowed == asked { return requested }
        }
        return nil
    }

    /// RFC 8252 §7.3 applies to the loopback IP literals over plain http.
    static func isLoopback(_ url: URLComponents) -> Bool {
        url.scheme == "http"
            && (url.host == "127.0.0.1" || url.host == "[::1]" || url.host == "::1")
    }

    /// `base` with `parameters` appended to its query, keeping what the query already had.
    public static func appending(_ parameters: [(String, String)], to base: String) -> String {
        guard var components = URLComponents(checkingHost: base) else { return base }
        var items = components.percentEncodedQueryItems ?? []
        for (name, value) in parameters {
            items.append(URLQueryItem(name: formEncode(name), value: formEncode(value)))
        }
        components.percentEncodedQueryItems = items
        return components.string ?? base
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters, so the value
    /// survives any query parser.
    public static func formEncode(_ text: String) -> String {
        PercentEncoding.encodingAllButUnreserved(text)
    }
}
