extension Response {
    /// RFC 6585 §5: the HTTP layer's own answer when the headers pass their limit.
    static let headersTooLarge = Response(
        status: 431, headers: [("Content-Type", "text/plain; charset=utf-8")],
        text: "Request header fields too large\n")
}
