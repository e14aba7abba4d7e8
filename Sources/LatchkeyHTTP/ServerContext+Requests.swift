import CMicroHTTPD

extension ServerContext {
    /// One call of libmicrohttpd's access handler: the head on the first call, body
    /// chunks next, and the answer on the last call, never on the first (answering there
    /// makes libmicrohttpd 0.9.75 close the connection, which loses keep-alive).
    func access(
        connection: OpaquePointer, state: RequestState, method: String,
        chunk: UnsafeRawBufferPointer
    ) -> MHD_Result {
        guard state.status == nil else { return .YES }

        guard state.headersRead else {
            return readHead(connection: connection, state: state, method: method)
        }

        guard chunk.isEmpty else {
            accumulate(chunk, into: state)
            return .YES
        }

        if let response = state.deferredResponse {
            state.deferredResponse = nil
            return send(response, connection: connection, state: state, closing: false)
        }
        return answer(connection: connection, state: state)
    }

    private func readHead(
        connection: OpaquePointer, state: RequestState, method: String
    ) -> MHD_Result {
        state.headersRead = true
        state.method = method
        state.remoteAddress = Self.clientAddress(of: connection)
        let headerBytes = Self.readHeaders(of: connection, into: &state.headers)

        // Headers that fit libmicrohttpd's pool but pass the limit are refused here, with
        // the same status libmicrohttpd gives those that do not fit.
        guard headerBytes <= configuration.maxHeaderBytes else {
            return send(
                Response.headersTooLarge, connection: connection, state: state, closing: true)
        }

        // A client waiting for `100 Continue` has not sent its body yet: refusing now
        // spares both sides the transfer. Any other oversized body is read and dropped.
        if Self.expectsContinue(state.headers),
            let length = Self.contentLength(state.headers), length > configuration.maxBodyBytes
        {
            state.bodyTooLarge = true
            return answer(connection: connection, state: state)
        }
        return .YES
    }

    private func accumulate(_ chunk: UnsafeRawBufferPointer, into state: RequestState) {
        guard !state.bodyTooLarge else { return }
        guard state.body.count + chunk.count <= configuration.maxBodyBytes else {
            state.bodyTooLarge = true
            state.body = []
            return
        }
        state.body.append(contentsOf: chunk)
    }

    private func answer(connection: OpaquePointer, state: RequestState) -> MHD_Result {
        let request = Request.decoded(from: state, configuration: configuration)
        switch dispatcher(request) {
        case .response(let response):
            return sendOrHold(response, connection: connection, state: state)
        case .blocking(let work):
            guard let blockingPool else {
                return sendOrHold(work(), connection: connection, state: state)
            }
            // Suspended, the connection leaves this worker's loop until the work resumes
            // it; libmicrohttpd then calls the access handler again, which sends the
            // deferred response.
            let suspended = suspend(connection, state)
            blockingPool.submit { suspended.answer(with: work()) }
            return .YES
        }
    }

    /// Sends `response` now, or, when it is pending, suspends the connection until it
    /// answers.
    private func sendOrHold(
        _ response: Response, connection: OpaquePointer, state: RequestState
    ) -> MHD_Result {
        guard response.pending != nil else {
            return send(response, connection: connection, state: state, closing: false)
        }
        suspend(connection, state).answer(with: response)
        return .YES
    }

    private func suspend(_ connection: OpaquePointer, _ state: RequestState) -> SuspendedRequest {
        suspendedConnections.add(1, ordering: .relaxed)
        MHD_suspend_connection(connection)
        return SuspendedRequest(connection: connection, state: state, server: self)
    }

    /// Queues `response` exactly as given; libmicrohttpd adds `Content-Length` and `Date`
    /// and, for `HEAD`, leaves the body out.
    private func send(
        _ response: Response, connection: OpaquePointer, state: RequestState, closing: Bool
    ) -> MHD_Result {
        var status = response.status
        if !(100...999).contains(status) {
            logger.error("handler status out of range", ["http.status": "\(status)"])
            status = 500
        }

        let body = status == response.status ? response.body : []
        let handle = body.withUnsafeBytes { bytes in
            MHD_create_response_from_buffer(
                bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress),
                .RESPMEM_MUST_COPY)
        }
        guard let handle else { return .NO }
        defer { MHD_destroy_response(handle) }

        if status == response.status {
            addHeaders(response.headers, to: handle)
        }
        if closing || isDraining.load(ordering: .acquiring) {
            MHD_add_response_header(handle, "Connection", "close")
        }
        state.status = status
        guard MHD_queue_response(connection, UInt32(status), handle) == .YES else {
            // Closing the connection is all that is left; the client sees it end.
            logger.error(
                "response not queued", ["request.id": state.id, "http.status": "\(status)"])
            return .NO
        }

        // The keys in sorted order, as the line prints them.
        logger.log(
            .info, "request",
            pairs: [
                ("duration_ms", state.elapsedMilliseconds), ("http.method", state.method),
                ("http.path", state.loggedPath), ("http.status", String(status)),
                ("request.id", state.id),
            ])
        return .YES
    }

    private func addHeaders(_ headers: [(name: String, value: String)], to handle: OpaquePointer) {
        for (name, value) in headers {
            let added = withTemporaryCString(name) { name in
                withTemporaryCString(value) { value in
                    MHD_add_response_header(handle, name, value)
                }
            }
            // libmicrohttpd refuses line breaks and the headers it manages itself.
            if added != .YES { logger.error("response header refused", ["http.header": name]) }
        }
    }

    /// A request that ended without an answer from us: the client went away, timed out,
    /// or libmicrohttpd refused it itself (request line or headers too large for the pool).
    func completed(state: RequestState, termination: MHD_RequestTerminationCode) {
        guard state.status == nil else { return }
        logger.info(
            "request incomplete",
            [
                "request.id": state.id, "http.method": state.method,
                "http.path": state.loggedPath, "duration_ms": state.elapsedMilliseconds,
                "mhd.termination": "\(termination.rawValue)",
            ])
    }
}

/// A suspended connection and its request, handed to the blocking pool.
///
/// `@unchecked Sendable`: while the connection is suspended, libmicrohttpd and its
/// workers leave both alone, so the pool's thread is their only user until it resumes
/// the connection.
private struct SuspendedRequest: @unchecked Sendable {
    let connection: OpaquePointer
    let state: RequestState
    let server: ServerContext

    /// Hands `response` to the access handler and resumes the connection, at once, or
    /// when a pending response answers (on whichever thread that is).
    func answer(with response: Response) {
        guard let pending = response.pending else {
            resume(with: response)
            return
        }
        pending { answer in
            var answer = answer
            // A pending response answers once, with what is to be sent.
            answer.pending = nil
            resume(with: answer)
        }
    }

    private func resume(with response: Response) {
        state.deferredResponse = response
        MHD_resume_connection(connection)
        server.suspendedConnections.subtract(1, ordering: .releasing)
    }
}

/// Calls `body` with `text` as a NUL-terminated C string copied to the stack.
///
/// Passing a `String` straight to a C function copies a small string (15 bytes or less,
/// as most header names and values are) into a new heap array first; a response's half
/// dozen headers made that a dozen allocations on every request. libmicrohttpd copies
/// what it keeps, so the pointer need not outlive the call.
private func withTemporaryCString<Result>(
    _ text: String, _ body: (UnsafePointer<CChar>) -> Result
) -> Result {
    var text = text
    return text.withUTF8 { bytes in
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
            bytes.withMemoryRebound(to: CChar.self) { source in
                _ = buffer.initialize(fromContentsOf: source)
            }
            buffer[bytes.count] = 0
            return body(buffer.baseAddress!)
        }
    }
}
