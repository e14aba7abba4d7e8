import CMicroHTTPD

extension ServerContext {
    /// Appends every request header, names lower-cased, in arrival order, duplicates kept;
    /// returns their size on the wire (`name: value` and the line break).
    static func readHeaders(
        of connection: OpaquePointer, into headers: inout [(name: String, value: String)]
    ) -> Int {
        var collected = HeaderCollector()
        _ = withUnsafeMutablePointer(to: &collected) { collector in
            MHD_get_connection_values(connection, .HEADER_KIND, collectHeader, collector)
        }
        headers = collected.headers
        return collected.bytes
    }

    private static let collectHeader: MHD_KeyValueIterator = { context, _, name, value in
        guard let context, let name else { return .YES }
        let collector = context.assumingMemoryBound(to: HeaderCollector.self)
        let valueText = value.map { String(cString: $0) } ?? ""
        let nameText = String(cString: name)
        collector.pointee.bytes += nameText.utf8.count + valueText.utf8.count + 4
        collector.pointee.headers.append((nameText.lowercased(), valueText))
        return .YES
    }

    static func clientAddress(of connection: OpaquePointer) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            cmhd_client_address(connection, buffer.baseAddress, buffer.count)
            return String(cString: buffer.baseAddress!)
        }
    }

    static func expectsContinue(_ headers: [(name: String, value: String)]) -> Bool {
        headers.contains { $0.name == "expect" && $0.value.lowercased() == "100-continue" }
    }

    static func contentLength(_ headers: [(name: String, value: String)]) -> Int? {
        headers.first { $0.name == "content-length" }.flatMap { Int($0.value) }
    }
}

private struct HeaderCollector {
    var headers: [(name: String, value: String)] = []
    var bytes = 0
}
