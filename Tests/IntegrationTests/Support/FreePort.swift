import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Loopback TCP ports nobody listens on.
enum FreePort {
    /// A port the kernel just handed out on 127.0.0.1 and that is closed again.
    ///
    /// Another process could take it before the caller binds it; callers that bind
    /// retry (see `WebDriver.start`), callers that want a refused connection do not
    /// care about that tiny window.
    static func find() throws -> UInt16 {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else {
            throw HarnessError("socket() failed: errno \(errno)")
        }
        defer { close(descriptor) }

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0
                    && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else {
            throw HarnessError("could not bind a free port on 127.0.0.1: errno \(errno)")
        }
        return UInt16(bigEndian: address.sin_port)
    }
}
