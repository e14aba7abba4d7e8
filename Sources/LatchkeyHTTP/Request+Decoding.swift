import LatchkeyText

extension Request {
    /// Builds the request a handler sees from what the HTTP layer gathered: the target
    /// and the form body are decoded here, once.
    static func decoded(
        from state: RequestState, configuration: HTTPServerConfiguration
    ) -> Request {
        var request = Request(
            method: state.method, path: "", headers: state.headers, body: state.body,
            remoteAddress: state.remoteAddress, id: state.id, isTLS: configuration.tls != nil)
        if state.bodyTooLarge {
            request.limitViolation = .bodyTooLarge
        }

        let target = Substring(state.rawTarget.text)
        let questionMark = target.utf8.firstIndex(of: UInt8(ascii: "?"))
        let rawPath = questionMark.map { target[..<$0] } ?? target
        let rawQuery = questionMark.map { target[target.utf8.index(after: $0)...] }
        request.rawQuery = rawQuery.map(String.init)
        // An overlong query is not decoded at all: the handler only needs the path to
        // answer 414 in the right format.
        guard !state.targetTooLong else {
            request.limitViolation = .urlTooLong
            request.path = (try? URLEncodedForm.path(rawPath)) ?? String(rawPath)
            return request
        }

        do throws(ParameterError) {
            guard state.rawTarget.isUTF8 else { throw .malformedEncoding }
            request.path = try URLEncodedForm.path(rawPath)
            try request.decodeParameters(
                rawQuery: rawQuery, limit: configuration.maxParameters,
                bodyIsComplete: !state.bodyTooLarge)
        } catch {
            request.path = request.path.isEmpty ? String(rawPath) : request.path
            request.parameterError = error
            request.query = Parameters()
            request.form = Parameters()
        }
        return request
    }

    /// Decodes the query and, for a form body, the form, with one parameter budget
    /// shared by both.
    private mutating func decodeParameters(
        rawQuery: Substring?, limit: Int, bodyIsComplete: Bool
    ) throws(ParameterError) {
        let queryPairs = try URLEncodedForm.decode(rawQuery ?? "", limit: limit)
        query = Parameters(queryPairs)

        guard bodyIsComplete, hasFormBody else { return }
        guard let text = String(validating: body, as: UTF8.self) else {
            throw .malformedEncoding
        }
        do throws(ParameterError) {
            form = Parameters(
                try URLEncodedForm.decode(Substring(text), limit: limit - queryPairs.count))
        } catch .tooManyParameters {
            throw .tooManyParameters(limit: limit)
        }
    }

    /// True for `application/x-www-form-urlencoded`, with or without parameters such as
    /// `; charset=UTF-8`.
    var hasFormBody: Bool {
        guard let contentType = header("content-type") else { return false }
        // What clients send nearly always; anything else takes the general path.
        if contentType == "application/x-www-form-urlencoded" { return true }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return mediaType.trimmingSpacesAndTabs().lowercased()
            == "application/x-www-form-urlencoded"
    }
}
