import Foundation

/// Small readers for rendered pages, so tests can assert on forms, inputs and attributes
/// the way a browser or a script would find them.
enum Markup {
    /// Each `<form ...>...</form>` block, in document order.
    static func forms(in html: String) -> [String] {
        html.matches(of: #/<form\b.*?</form>/#.dotMatchesNewlines()).map { String($0.output) }
    }

    /// Each start tag named `name` (`input`, `button`, `a`...), in document order.
    static func tags(_ name: String, in html: String) -> [String] {
        let pattern = try! Regex("<\(name)\\b[^>]*>")
        return html.matches(of: pattern).map { String(html[$0.range]) }
    }

    /// The value of `attribute` in one start tag, as written (still escaped).
    static func attribute(_ attribute: String, of tag: String) -> String? {
        let pattern = try! Regex("\\s\(attribute)=\"([^\"]*)\"")
        guard let match = tag.firstMatch(of: pattern), let value = match.output[1].substring
        else { return nil }
        return String(value)
    }

    /// The hidden inputs of `html` as (name, value) pairs, values still escaped.
    static func hiddenFields(in html: String) -> [(name: String, value: String)] {
        tags("input", in: html)
            .filter { attribute("type", of: $0) == "hidden" }
            .map { (attribute("name", of: $0) ?? "", attribute("value", of: $0) ?? "") }
    }

    /// The names of every visible input and textarea, in document order.
    static func fieldNames(in html: String) -> [String] {
        (tags("input", in: html) + tags("textarea", in: html))
            .filter { attribute("type", of: $0) != "hidden" }
            .compactMap { attribute("name", of: $0) }
    }

    /// The text between `<title>` and `</title>`.
    static func title(of html: String) -> String? {
        guard let match = html.firstMatch(of: #/<title>(.*?)</title>/#) else { return nil }
        return String(match.output.1)
    }

    /// The text inside the header's navigation.
    static func navigation(of html: String) -> String {
        guard let match = html.firstMatch(of: #/<nav\b.*?</nav>/#.dotMatchesNewlines())
        else { return "" }
        return String(match.output)
    }
}

extension Markup {
    /// The name of every attribute of every start tag, found the way a browser would:
    /// quoted values are skipped, so escaped text inside a value never counts, while a
    /// quote that broke out of its value leaves the injected name outside the quotes.
    static func attributeNames(in html: String) -> [String] {
        html.matches(of: #/<[a-zA-Z][^>]*>/#).flatMap { tag -> [String] in
            let unquoted = String(html[tag.range]).replacing(#/"[^"]*"|'[^']*'/#, with: "")
            return unquoted.matches(of: #/\s([^\s=>/]+)/#).map { String($0.output.1) }
        }
    }
}
