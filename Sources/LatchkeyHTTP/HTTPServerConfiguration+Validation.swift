extension HTTPServerConfiguration {
    /// libmicrohttpd keeps the request line and every header of a request in one memory
    /// pool per connection, and answers by itself when they do not fit. The pool holds a
    /// target at the URL limit (longer ones still reach the handler as long as they fit,
    /// so that it answers 414 itself), all headers up to their limit (so that the HTTP
    /// layer answers 431 itself), and 8 KiB for libmicrohttpd's per-header records and
    /// the response head. No larger: libmicrohttpd 0.9.75 zeroes the whole pool after
    /// every request on a kept-alive connection, so each kilobyte here costs every
    /// request; at the default limits this is 32 KiB, the largest pool it takes from
    /// malloc instead of mapping pages of its own.
    var connectionMemoryLimit: Int {
        maxURLBytes + maxHeaderBytes + 8 << 10
    }

    func validate() throws(HTTPServerError) {
        let checks: [(Bool, String)] = [
            (threadCount >= 1, "threadCount must be at least 1"),
            (blockingThreadCount >= 0, "blockingThreadCount must not be negative"),
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
