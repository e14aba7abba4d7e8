/// Why the server could not start.
public struct HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// The host is not an IPv4 or IPv6 literal.
        case invalidHost
        /// A setting is out of range (`message` names it).
        case invalidConfiguration
        /// libmicrohttpd could not start, most often because the address is in use.
        case startFailed
        /// `start()` was called on a server that already ran.
        case alreadyStarted
    }

    public var code: Code
    /// Safe to show to an operator; names the address or setting.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
