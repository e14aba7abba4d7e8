import CMicroHTTPD

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The C entry points libmicrohttpd calls. They capture nothing: the server arrives as the
/// context pointer and the request as `*con_cls`, and each hands over to `ServerContext`.
enum ServerCallbacks {
    /// Called once per request when its request line arrives, with the target as sent.
    /// Its result becomes `*con_cls`, so the per-request state is born here.
    static let requestLine: cmhd_uri_log_callback = { context, uri, _ in
        guard let context else { return nil }
        let server = Unmanaged<ServerContext>.fromOpaque(context).takeUnretainedValue()
        let state = RequestState(
            rawTarget: uri.map { RawTarget(cString: $0) } ?? RawTarget(),
            maxURLBytes: server.configuration.maxURLBytes)
        if let uri {
            hideQuery(in: UnsafeMutablePointer(mutating: uri))
        }
        server.requestsInFlight.add(1, ordering: .relaxed)
        return Unmanaged.passRetained(state).toOpaque()
    }

    /// Right after this callback libmicrohttpd 0.9.75 splits the query off at `?` and
    /// parses it into one record per argument, allocated from the connection's memory
    /// pool: `?a&a&a...` within the URL limit exhausts the pool and the connection is
    /// dropped without an answer. The query was just copied and is decoded by
    /// `URLEncodedForm` instead, so the byte after `?` is set to NUL, which leaves
    /// libmicrohttpd an empty query. The target is its own read buffer, writable and
    /// no longer read by it; `const` in the callback's signature is only a promise to
    /// loggers. The request-line tests catch a libmicrohttpd that behaves otherwise.
    private static func hideQuery(in target: UnsafeMutablePointer<CChar>) {
        guard let questionMark = strchr(target, Int32(UInt8(ascii: "?"))) else { return }
        questionMark.successor().pointee = 0
    }

    static let access: MHD_AccessHandlerCallback = {
        context, connection, url, method, _, uploadData, uploadDataSize, requestContext in
        guard let context, let connection, let uploadDataSize, let requestContext else {
            return .NO
        }
        let server = Unmanaged<ServerContext>.fromOpaque(context).takeUnretainedValue()

        // The request-line callback always runs first; this fallback only keeps a request
        // working should a libmicrohttpd version skip it.
        let state: RequestState
        if let existing = requestContext.pointee {
            state = Unmanaged<RequestState>.fromOpaque(existing).takeUnretainedValue()
        } else {
            state = RequestState(
                rawTarget: url.map { RawTarget(cString: $0) } ?? RawTarget(),
                maxURLBytes: server.configuration.maxURLBytes)
            server.requestsInFlight.add(1, ordering: .relaxed)
            requestContext.pointee = Unmanaged.passRetained(state).toOpaque()
        }

        let methodName = method.map { String(cString: $0) } ?? ""
        let chunk = UnsafeRawBufferPointer(
            start: uploadData, count: uploadData == nil ? 0 : uploadDataSize.pointee)
        let result = server.access(
            connection: connection, state: state, method: methodName, chunk: chunk)
        uploadDataSize.pointee = 0
        return result
    }

    /// Called when a request ends, answered or aborted: the per-request state dies here.
    static let completed: MHD_RequestCompletedCallback = {
        context, _, requestContext, termination in
        guard let context, let requestContext, let pointer = requestContext.pointee else {
            return
        }
        requestContext.pointee = nil
        let server = Unmanaged<ServerContext>.fromOpaque(context).takeUnretainedValue()
        let state = Unmanaged<RequestState>.fromOpaque(pointer).takeRetainedValue()
        server.requestsInFlight.subtract(1, ordering: .releasing)
        server.completed(state: state, termination: termination)
    }
}
