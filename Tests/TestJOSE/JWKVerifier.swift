import CCrypto
import Foundation

/// An independent check of JWS signatures for the tests: the key is rebuilt from the
/// JWK's own members (`n`/`e` or `x`/`y`) with `EVP_PKEY_fromdata` and the signature
/// checked with `EVP_DigestVerify`, never through the code that signed.
public enum JWKVerifier {
    /// `EVP_PKEY_PUBLIC_KEY` and `EVP_PKEY_KEYPAIR`: macros Swift does not import.
    static let publicKeySelection: Int32 = 0x86
    static let keyPairSelection: Int32 = 0x87

    /// Whether `signature` (as it appears in the JWS, base64url-decoded) signs
    /// `signingInput` under the JWK with these members.
    public static func verify(
        signingInput: [UInt8], signature: [UInt8], jwk: [String: String]
    ) -> Bool {
        guard let key = publicKey(jwk) else { return false }
        defer { EVP_PKEY_free(key) }

        var derSignature = signature
        if jwk["kty"] == "EC" {
            guard signature.count == 64, let der = derECDSA(signature) else { return false }
            derSignature = der
        }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, key) == 1 else {
            return false
        }
        return EVP_DigestVerify(
            context, derSignature, derSignature.count, signingInput, signingInput.count) == 1
    }

    /// An RSA private key from the JWK members `n`, `e`, `d` (for RFC 7515 A.2).
    public static func rsaPrivateKey(n: [UInt8], e: [UInt8], d: [UInt8]) -> OpaquePointer? {
        build("RSA", selection: keyPairSelection) { builder, numbers in
            push(builder, "n", n, &numbers) && push(builder, "e", e, &numbers)
                && push(builder, "d", d, &numbers)
        }
    }

    static func publicKey(_ jwk: [String: String]) -> OpaquePointer? {
        switch jwk["kty"] {
        case "RSA":
            guard let n = jwk["n"].flatMap(decode), let e = jwk["e"].flatMap(decode) else {
                return nil
            }
            return build("RSA", selection: publicKeySelection) { builder, numbers in
                push(builder, "n", n, &numbers) && push(builder, "e", e, &numbers)
            }
        case "EC":
            guard jwk["crv"] == "P-256", let x = jwk["x"].flatMap(decode),
                let y = jwk["y"].flatMap(decode), x.count == 32, y.count == 32
            else { return nil }
            var point = [0x04] + x + y
            return point.withUnsafeMutableBytes { buffer in
                var parameters = [
                    OSSL_PARAM_construct_utf8_string(
                        cString("group"), UnsafeMutablePointer(mutating: cString("P-256")), 0),
                    OSSL_PARAM_construct_octet_string(
                        cString("pub"), buffer.baseAddress, buffer.count),
                    OSSL_PARAM_construct_end(),
                ]
                return fromData("EC", selection: publicKeySelection, &parameters)
            }
        default:
            return nil
        }
    }

    private static func build(
        _ type: String, selection: Int32,
        _ fill: (OpaquePointer, inout [OpaquePointer]) -> Bool
    ) -> OpaquePointer? {
        guard let builder = OSSL_PARAM_BLD_new() else { return nil }
        var numbers: [OpaquePointer] = []
        defer {
            OSSL_PARAM_BLD_free(builder)
            numbers.forEach(BN_free)
        }
        guard fill(builder, &numbers), let parameters = OSSL_PARAM_BLD_to_param(builder) else {
            return nil
        }
        defer { OSSL_PARAM_free(parameters) }
        return fromData(type, selection: selection, parameters)
    }

    private static func fromData(
        _ type: String, selection: Int32, _ parameters: UnsafeMutablePointer<OSSL_PARAM>
    ) -> OpaquePointer? {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, type, nil) else { return nil }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_fromdata_init(context) == 1,
            EVP_PKEY_fromdata(context, &key, selection, parameters) == 1
        else { return nil }
        return key
    }

    /// Pushes a big number. The builder copies it only when the parameters are made, so
    /// the number goes into `numbers`, which `build` frees after that.
    private static func push(
        _ builder: OpaquePointer, _ name: StaticString, _ bytes: [UInt8],
        _ numbers: inout [OpaquePointer]
    ) -> Bool {
        guard let number = BN_bin2bn(bytes, Int32(bytes.count), nil) else { return false }
        numbers.append(number)
        return OSSL_PARAM_BLD_push_BN(builder, cString(name), number) == 1
    }

    /// The builder keeps the name's pointer until the parameters are made, so names must
    /// outlive the call: static strings do, bridged Swift strings do not.
    private static func cString(_ text: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    /// RFC 7518 §3.4's `R || S` as the DER `ECDSA-Sig-Value` libcrypto verifies.
    private static func derECDSA(_ raw: [UInt8]) -> [UInt8]? {
        guard let signature = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(signature) }
        guard let r = BN_bin2bn(Array(raw.prefix(32)), 32, nil),
            let s = BN_bin2bn(Array(raw.suffix(32)), 32, nil),
            ECDSA_SIG_set0(signature, r, s) == 1
        else { return nil }
        let length = i2d_ECDSA_SIG(signature, nil)
        guard length > 0 else { return nil }
        var der = [UInt8](repeating: 0, count: Int(length))
        _ = der.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return i2d_ECDSA_SIG(signature, &cursor)
        }
        return der
    }

    /// Base64url without padding, decoded here rather than with the code under test.
    public static func decode(_ text: String) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map { [UInt8]($0) }
    }
}
