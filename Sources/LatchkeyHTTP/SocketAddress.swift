#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The exact address to bind, parsed from an IPv4 or IPv6 literal.
struct SocketAddress: CustomStringConvertible {
    private enum Storage {
        case v4(sockaddr_in)
        case v6(sockaddr_in6)
    }

    private let storage: Storage
    let description: String

    /// - Throws: `HTTPServerError.Code.invalidHost` for anything but an address literal;
    ///   names are refused because resolving them could bind an unexpected interface.
    init(host: String, port: UInt16) throws(HTTPServerError) {
        let literal =
            host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var v4 = sockaddr_in()
        var v6 = sockaddr_in6()
        if inet_pton(AF_INET, literal, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = port.bigEndian
            storage = .v4(v4)
            description = "\(literal):\(port)"
        } else if inet_pton(AF_INET6, literal, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = port.bigEndian
            storage = .v6(v6)
            description = "[\(literal)]:\(port)"
        } else {
            throw HTTPServerError(
                .invalidHost, "host \"\(host)\" is not an IPv4 or IPv6 address")
        }
    }

    var isIPv6: Bool {
        if case .v6 = storage { return true }
        return false
    }

    func withSocketAddress<Result>(_ body: (UnsafePointer<sockaddr>) -> Result) -> Result {
        switch storage {
        case .v4(var address):
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body)
            }
        case .v6(var address):
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body)
            }
        }
    }
}
