import TestJOSE
import Testing

@testable import LatchkeyCrypto

/// JWS signatures (RFC 7515 Appendix A) and key handling.
struct SigningKeyTests {
    /// RFC 7515 A.2.1 and A.3.1: the protected header and payload, base64url-encoded.
    static let payload =
        "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19y"
        + "b290Ijp0cnVlfQ"
    static let rs256Input = bytes("eyJhbGciOiJSUzI1NiJ9." + payload)
    static let es256Input = bytes("eyJhbGciOiJFUzI1NiJ9." + payload)

    /// RFC 7515 A.2.1: the RSA key of the example (RFC 7517 A.2's key).
    static let rsaN =
        "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJ"
        + "PMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0"
        + "LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uD"
        + "Zlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2"
        + "PAcDTW9gb54h4FRWyuXpoQ"
    static let rsaD =
        "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9S"
        + "E-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVd"
        + "xzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQ"
        + "UShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjn"
        + "czT0QU91p1DhOVRuOopznQ"
    /// RFC 7515 A.2.1: the resulting JWS Signature.
    static let rs256Signature =
        "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF"
        + "5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK"
        + "5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqt"
        + "FZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrB"
        + "p0igcN_IoypGlUPQGe77Rw"

    /// RFC 7515 A.3.1: the P-256 public key and the example's signature. ECDSA is
    /// randomized, so the RFC's signature can be verified but not reproduced.
    static let ecJWK = [
        "kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
    ]
    static let es256Signature =
        "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"

    @Test func rfc7515AppendixA2_rs256SignatureIsReproducedExactly() throws {
        let raw = try #require(
            JWKVerifier.rsaPrivateKey(
                n: Base64URL.decode(Self.rsaN)!, e: Base64URL.decode("AQAB")!,
                d: Base64URL.decode(Self.rsaD)!))
        let key = SigningKey(owning: raw, algorithm: .rs256)

        let signature = try key.sign(Self.rs256Input)

        #expect(Base64URL.encode(signature) == Self.rs256Signature)
    }

    @Test func rfc7515AppendixA2_signatureVerifiesFromThePublicJWK() throws {
        let jwk = ["kty": "RSA", "n": Self.rsaN, "e": "AQAB"]
        let signature = try #require(Base64URL.decode(Self.rs256Signature))

        #expect(JWKVerifier.verify(signingInput: Self.rs256Input, signature: signature, jwk: jwk))
        var tampered = signature
        tampered[0] ^= 1
        #expect(!JWKVerifier.verify(signingInput: Self.rs256Input, signature: tampered, jwk: jwk))
    }

    @Test func rfc7515AppendixA3_es256SignatureVerifies() throws {
        let signature = try #require(Base64URL.decode(Self.es256Signature))

        #expect(
            JWKVerifier.verify(signingInput: Self.es256Input, signature: signature, jwk: Self.ecJWK)
        )
        #expect(
            !JWKVerifier.verify(
                signingInput: Self.rs256Input, signature: signature, jwk: Self.ecJWK))
    }

    @Test(arguments: SigningAlgorithm.allCases)
    func generatedKey_signaturesVerifyFromItsPublishedJWK(_ algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let message = bytes("header.payload")

        let signature = try key.sign(message)
        let members = try PublicKey(der: key.publicKeyDER, algorithm: algorithm).jwkMembers()
        let jwk = Dictionary(uniqueKeysWithValues: members.map { ($0.name, $0.value) })

        #expect(signature.count == (algorithm == .es256 ? 64 : 256))
        #expect(JWKVerifier.verify(signingInput: message, signature: signature, jwk: jwk))
        #expect(
            members.map(\.name)
                == (algorithm == .es256 ? ["crv", "kty", "x", "y"] : ["e", "kty", "n"]))
    }

    @Test(arguments: SigningAlgorithm.allCases)
    func privateKeyDER_roundTripsToTheSameKey(_ algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)

        let restored = try SigningKey(privateKeyDER: key.privateKeyDER, algorithm: algorithm)

        #expect(try restored.publicKeyDER == key.publicKeyDER)
    }

    @Test func keyOfTheOtherAlgorithm_isRefused() throws {
        let ecKey = try SigningKey.generate(.es256)

        #expect(throws: KeyError.self) {
            try SigningKey(privateKeyDER: ecKey.privateKeyDER, algorithm: .rs256)
        }
        #expect(throws: KeyError.self) {
            try PublicKey(der: ecKey.publicKeyDER, algorithm: .rs256)
        }
        #expect(throws: KeyError.self) {
            try SigningKey(privateKeyDER: [0x30, 0x03, 0x02, 0x01, 0x00], algorithm: .es256)
        }
    }

    /// ES256 is P-256 only (RFC 7518 §3.4): a P-384 key, well-formed, is still refused.
    @Test func ecKeyOnAnotherCurve_isRefusedForES256() throws {
        let p384KeyHex =
            "3081a40201010430539673077f7f8f9a791feb7ff7971a0f4bb12422b88fe20d32f7f7a99a80bdf3"
            + "8a72dcf588ddaf29451128edc896d5a1a00706052b81040022a1640362000486e4d80e2be0b073"
            + "1eeb2673e6ee2f444cfe930a4eabb413627ae5ebdc47308a2dabaf6e416150b858395a0fb5edb3"
            + "fbc3fd6122d7b20ecf6c78ecc4acad290e3d25953e7e3054b87f9227bf135c86342eed5ab2e79d"
            + "40cf6e3fe3e428c4f004"
        let utf8 = Array(p384KeyHex.utf8)
        let der = stride(from: 0, to: utf8.count, by: 2).map {
            UInt8(String(decoding: utf8[$0..<$0 + 2], as: UTF8.self), radix: 16)!
        }

        // libcrypto reads the key; what refuses it is the curve.
        let error = #expect(throws: KeyError.self) {
            try SigningKey(privateKeyDER: der, algorithm: .es256)
        }
        #expect(error?.description.hasPrefix("the key does not fit ES256") == true)
    }
}
