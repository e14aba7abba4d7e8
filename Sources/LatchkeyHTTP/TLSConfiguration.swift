#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A certificate chain and its private key, both PEM, for serving HTTPS directly
/// (SPEC §7 `--tls-cert`, `--tls-key`). libmicrohttpd does the TLS work through GnuTLS.
public struct TLSConfiguration: Sendable {
    /// The server certificate first, then any intermediates.
    public var certificateChainPEM: String
    /// Unencrypted; keep the file readable by the server's user only.
    public var privateKeyPEM: String

    public init(certificateChainPEM: String, privateKeyPEM: String) {
        self.certificateChainPEM = certificateChainPEM
        self.privateKeyPEM = privateKeyPEM
    }

    /// Reads both PEM files.
    /// - Throws: `HTTPServerError.Code.invalidConfiguration` naming the file that cannot
    ///   be read.
    public init(certificateFile: String, privateKeyFile: String) throws(HTTPServerError) {
        self.certificateChainPEM = try Self.read(certificateFile)
        self.privateKeyPEM = try Self.read(privateKeyFile)
    }

    private static func read(_ path: String) throws(HTTPServerError) -> String {
        guard let data = FileManager.default.contents(atPath: path),
            let text = String(data: data, encoding: .utf8)
        else {
            throw HTTPServerError(.invalidConfiguration, "cannot read TLS file \(path)")
        }
        return text
    }
}
