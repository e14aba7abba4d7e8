extension Request {
    /// Cookies from every `Cookie` header (RFC 6265 §5.4), the first of a repeated name
    /// winning. Spaces around names and values are tolerated, a value in double quotes
    /// loses them, and pieces without a name are skipped; nothing here fails.
    public var cookies: [String: String] {
        var cookies: [String: String] = [:]
        for header in headerValues("cookie") {
            for piece in header.split(separator: ";") {
                let pair = piece.split(
                    separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = pair[0].trimmingSpaces
                guard !name.isEmpty, cookies[name] == nil else { continue }
                let value = pair.count > 1 ? pair[1].trimmingSpaces : ""
                cookies[name] = value.unquoted
            }
        }
        return cookies
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}

extension String {
    fileprivate var unquoted: String {
        guard count >= 2, hasPrefix("\""), hasSuffix("\"") else { return self }
        return String(dropFirst().dropLast())
    }
}
