extension HTTPServerConfiguration {
    /// libmicrohttpd keeps the request line and every header of a request in one memory
    /// pool per connection, and answers by itself when they do not fit. The pool holds the
    /// longest target the handler may still see (so that it can answer 414 itself), all
    /// headers up to their limit (so that the HTTP layer answers 431 itself), and room for
    /// libmicrohttpd's per-header records, parsed query arguments and response buffer.
    var connectionMemoryLimit: Int {
        2 * maxURLBytes + maxHeaderBytes + 16 << 10
    }

    func validate() throws(HTTPServerError) {
        let checks: [(Bool, String)] = [
            (threadCount >= 1, "threadCount must be at least 1"),
            (maxBodyBytes >= 0, "maxBodyBytes must not be negative"),
            (maxHeaderBytes >= 1024, "maxHeaderBytes must be at least 1024"),
            (maxURLBytes >= 256, "maxURLBytes must be at least 256"),
            (maxParameters >= 0, "maxParameters must not be negative"),
            (connectionTimeout >= 0, "connectionTimeout must not be negative"),
            (connectionLimit >= threadCount, "connectionLimit must be at least threadCount"),
            (shutdownGracePeriod >= 0, "shutdownGracePeriod must not be negative"),
        ]
        for (isValid, message) in checks where !isValid {
            throw HTTPServerError(.invalidConfiguration, message)
        }
    }
}
