import CCrypto

/// The JWS algorithms Latchkey signs ID tokens with (RFC 7518 §3.1).
public enum SigningAlgorithm: String, Sendable, CaseIterable {
    /// RSASSA-PKCS1-v1_5 with SHA-256 over a 2048-bit key: what every OpenID Connect
    /// relying party must accept (OIDC Core §15.1), so the default.
    case rs256 = "RS256"
    /// ECDSA over P-256 with SHA-256: shorter signatures, chosen per client.
    case es256 = "ES256"
}

/// A failure of libcrypto while creating, reading or using a key; the message is
/// OpenSSL's and carries no key material.
public struct KeyError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    init(_ step: String) {
        description = "\(step): \(OpenSSLError.latestMessage())"
    }
}

/// A private signing key held by libcrypto, with the JWS signature of RFC 7518 §3.3
/// (RS256) and §3.4 (ES256).
///
/// An `EVP_PKEY` is only read once made, which OpenSSL allows from several threads at
/// once, so the key is shared between request threads.
public final class SigningKey: @unchecked Sendable {
    public let algorithm: SigningAlgorithm
    private let key: OpaquePointer

    /// Takes ownership of `key`, which must match `algorithm`.
    init(owning key: OpaquePointer, algorithm: SigningAlgorithm) {
        self.key = key
        self.algorithm = algorithm
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// A fresh key: RSA 2048 with exponent 65537, or a P-256 key.
    public static func generate(_ algorithm: SigningAlgorithm) throws(KeyError) -> SigningKey {
        let type = algorithm == .rs256 ? EVP_PKEY_RSA : EVP_PKEY_EC
        guard let context = EVP_PKEY_CTX_new_id(type, nil) else {
            throw KeyError("EVP_PKEY_CTX_new_id")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw KeyError("EVP_PKEY_keygen_init") }

        let configured =
            switch algorithm {
            case .rs256: EVP_PKEY_CTX_set_rsa_keygen_bits(context, 2048)
            case .es256: EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context, NID_X9_62_prime256v1)
            }
        guard configured == 1 else { throw KeyError("key generation parameters") }

        var key: OpaquePointer?
        guard EVP_PKEY_keygen(context, &key) == 1, let key else {
            throw KeyError("EVP_PKEY_keygen")
        }
        return SigningKey(owning: key, algorithm: algorithm)
    }

    /// Reads a key written by ``privateKeyDER``; refuses one that does not fit
    /// `algorithm` (a P-256 key for ES256, an RSA key of at least 2048 bits for RS256).
    public convenience init(privateKeyDER der: [UInt8], algorithm: SigningAlgorithm)
        throws(KeyError)
    {
        let parsed = der.withNonNullBufferPointer { buffer -> OpaquePointer? in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_AutoPrivateKey(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw KeyError("d2i_AutoPrivateKey") }
        guard Self.fits(parsed, algorithm) else {
            EVP_PKEY_free(parsed)
            throw KeyError("the key does not fit \(algorithm.rawValue)")
        }
        self.init(owning: parsed, algorithm: algorithm)
    }

    static func fits(_ key: OpaquePointer, _ algorithm: SigningAlgorithm) -> Bool {
        switch algorithm {
        case .rs256:
            return EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA && EVP_PKEY_get_bits(key) >= 2048
        case .es256:
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            guard EVP_PKEY_get_base_id(key) == EVP_PKEY_EC,
                EVP_PKEY_get_utf8_string_param(
                    key, OSSL_PKEY_PARAM_GROUP_NAME, &name, name.count, &length) == 1
            else { return false }
            // `length` leaves out the terminating NUL.
            let groupName = name.prefix(length).map { UInt8(bitPattern: $0) }
            return String(decoding: groupName, as: UTF8.self) == "prime256v1"
        }
    }

    /// The private key in its algorithm's DER form (PKCS #1 or SEC 1), to be sealed
    /// before it is stored.
    public var privateKeyDER: [UInt8] {
        get throws(KeyError) {
            try Self.encode("i2d_PrivateKey") { i2d_PrivateKey(key, $0) }
        }
    }

    /// The public key as a DER SubjectPublicKeyInfo.
    public var publicKeyDER: [UInt8] {
        get throws(KeyError) {
            try Self.encode("i2d_PUBKEY") { i2d_PUBKEY(key, $0) }
        }
    }

    /// OpenSSL's two-call `i2d` convention: the length first, then the bytes.
    static func encode(
        _ step: String, _ body: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32
    ) throws(KeyError) -> [UInt8] {
        let length = body(nil)
        guard length > 0 else { throw KeyError(step) }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = bytes.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return body(&cursor)
        }
        guard written == length else { throw KeyError(step) }
        return bytes
    }

    /// The JWS signature of `message` (RFC 7515 §5.1 step 5): PKCS #1 v1.5 bytes for
    /// RS256, and for ES256 the 64 bytes `R || S` of RFC 7518 §3.4, not the DER that
    /// libcrypto produces.
    public func sign(_ message: [UInt8]) throws(KeyError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw KeyError("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else {
            throw KeyError("EVP_DigestSignInit")
        }

        var length = 0
        let signed = message.withNonNullBufferPointer { input -> [UInt8]? in
            guard EVP_DigestSign(context, nil, &length, input.baseAddress, input.count) == 1
            else { return nil }
            var output = [UInt8](repeating: 0, count: length)
            guard EVP_DigestSign(context, &output, &length, input.baseAddress, input.count) == 1
            else { return nil }
            return Array(output.prefix(length))
        }
        guard let signature = signed else { throw KeyError("EVP_DigestSign") }

        switch algorithm {
        case .rs256: return signature
        case .es256: return try Self.rawECDSASignature(fromDER: signature)
        }
    }

    /// RFC 7518 §3.4: "the JWS Signature value [is] the concatenation of the two
    /// unsigned integers" R and S, each 32 bytes for P-256.
    static func rawECDSASignature(fromDER der: [UInt8]) throws(KeyError) -> [UInt8] {
        let parsed = der.withNonNullBufferPointer { buffer -> OpaquePointer? in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw KeyError("d2i_ECDSA_SIG") }
        defer { ECDSA_SIG_free(parsed) }

        var raw = [UInt8](repeating: 0, count: 64)
        let written = raw.withUnsafeMutableBufferPointer { buffer in
            BN_bn2binpad(ECDSA_SIG_get0_r(parsed), buffer.baseAddress, 32)
                + BN_bn2binpad(ECDSA_SIG_get0_s(parsed), buffer.baseAddress! + 32, 32)
        }
        guard written == 64 else { throw KeyError("BN_bn2binpad") }
        return raw
    }
}
