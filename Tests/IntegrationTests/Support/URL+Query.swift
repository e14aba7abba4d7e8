import Foundation

extension URL {
    /// This URL with `pairs` appended to its query, encoded by `urlEncoded`.
    ///
    /// Foundation's `URL` cannot carry malformed percent-encoding (`%zz` becomes
    /// `%25zz`), so a test of that rule sends it in a form body instead.
    func addingQuery(_ pairs: [(String, String)]) -> URL {
        guard !pairs.isEmpty else {
            return self
        }
        let separator = query == nil ? "?" : "&"
        return URL(string: absoluteString + separator + urlEncoded(pairs))!
    }

    /// The decoded value of the first query parameter called `name`, with `+` read as a
    /// space as in any form-encoded query (RFC 6749 appendix B); `nil` when absent.
    func queryValue(_ name: String) -> String? {
        guard var components = URLComponents(url: self, resolvingAgainstBaseURL: true),
            let query = components.percentEncodedQuery
        else {
            return nil
        }
        components.percentEncodedQuery = query.replacingOccurrences(of: "+", with: "%20")
        return components.queryItems?.first { $0.name == name }.map { $0.value ?? "" }
    }
}
