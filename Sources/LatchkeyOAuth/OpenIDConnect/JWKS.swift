import LatchkeyCrypto
import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `GET /oauth/jwks`: the JSON Web Key Set (RFC 7517 §5) relying parties verify ID
/// tokens with. Each key has `kid`, `kty`, `alg`, `use` and its public members.
public struct JWKS: Sendable {
    let context: OAuthContext

    public init(context: OAuthContext) {
        self.context = context
    }

    public func json() throws(OAuthError) -> JSONValue {
        let keys = try context.signingKeys.publishedKeys(context)
        let entries = try keys.map { stored throws(OAuthError) -> JSONValue in
            guard let algorithm = SigningAlgorithm(rawValue: stored.algorithm),
                let der = Data(base64Encoded: stored.publicKey)
            else {
                throw OAuthError.serverError(detail: "stored signing key \(stored.kid) unreadable")
            }
            let members: [(name: String, value: String)]
            do {
                members = try PublicKey(der: [UInt8](der), algorithm: algorithm).jwkMembers()
            } catch {
                throw OAuthError.serverError(detail: "signing key \(stored.kid): \(error)")
            }
            var object: [(key: String, value: JSONValue)] = [
                ("kid", .string(stored.kid)), ("alg", .string(algorithm.rawValue)),
                ("use", .string("sig")),
            ]
            object += members.map { ($0.name, JSONValue.string($0.value)) }
            return .object(object)
        }
        // Newest first: a relying party that takes the first key of a kind takes the
        // current one.
        return .object([("keys", .array(entries.reversed()))])
    }
}
