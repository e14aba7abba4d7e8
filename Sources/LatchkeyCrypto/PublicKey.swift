import CCrypto

/// The public half of a signing key, read back from its DER SubjectPublicKeyInfo to be
/// published as a JWK (RFC 7517, RFC 7518 §6).
public final class PublicKey: @unchecked Sendable {
    public let algorithm: SigningAlgorithm
    private let key: OpaquePointer

    public init(der: [UInt8], algorithm: SigningAlgorithm) throws(KeyError) {
        let parsed = der.withNonNullBufferPointer { buffer -> OpaquePointer? in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw KeyError("d2i_PUBKEY") }
        guard SigningKey.fits(parsed, algorithm) else {
            EVP_PKEY_free(parsed)
            throw KeyError("the key does not fit \(algorithm.rawValue)")
        }
        self.key = parsed
        self.algorithm = algorithm
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// The key-type members of the JWK, base64url-encoded, in the lexicographic order
    /// RFC 7638 §3.2 wants for a thumbprint: `e`, `kty`, `n` for RSA (RFC 7518 §6.3.1)
    /// and `crv`, `kty`, `x`, `y` for P-256 (§6.2.1, coordinates padded to 32 bytes).
    public func jwkMembers() throws(KeyError) -> [(name: String, value: String)] {
        switch algorithm {
        case .rs256:
            let modulus = try parameter(OSSL_PKEY_PARAM_RSA_N, width: nil)
            let exponent = try parameter(OSSL_PKEY_PARAM_RSA_E, width: nil)
            return [
                ("e", Base64URL.encode(exponent)), ("kty", "RSA"),
                ("n", Base64URL.encode(modulus)),
            ]
        case .es256:
            let x = try parameter(OSSL_PKEY_PARAM_EC_PUB_X, width: 32)
            let y = try parameter(OSSL_PKEY_PARAM_EC_PUB_Y, width: 32)
            return [
                ("crv", "P-256"), ("kty", "EC"), ("x", Base64URL.encode(x)),
                ("y", Base64URL.encode(y)),
            ]
        }
    }

    /// A big-number parameter as unsigned big-endian bytes: minimal (RFC 7518 §6.3.1.1
    /// "MUST NOT" pad `n`) or exactly `width` bytes.
    private func parameter(_ name: String, width: Int?) throws(KeyError) -> [UInt8] {
        var number: OpaquePointer?
        guard EVP_PKEY_get_bn_param(key, name, &number) == 1, let number else {
            throw KeyError("EVP_PKEY_get_bn_param(\(name))")
        }
        defer { BN_free(number) }
        let size = width ?? Int((BN_num_bits(number) + 7) / 8)
        var bytes = [UInt8](repeating: 0, count: size)
        guard BN_bn2binpad(number, &bytes, Int32(size)) == Int32(size) else {
            throw KeyError("BN_bn2binpad")
        }
        return bytes
    }
}
