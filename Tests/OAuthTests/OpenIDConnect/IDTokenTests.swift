import Foundation
import LatchkeyCrypto
import LatchkeyStorage
import TestJOSE
import Testing

@testable import LatchkeyOAuth

/// ID tokens, the signing key ring and the JWKS (OIDC Core §2, §3.1.3.6, RFC 7517).
struct IDTokenTests {
    static let encryptionKey = [UInt8](repeating: 7, count: 32)

    private func fixture() throws -> Fixture {
        try Fixture { $0.keyEncryptionKey = Self.encryptionKey }
    }

    private func jwk(_ fixture: Fixture, kid: String) throws -> [String: String] {
        guard case .object(let set) = try JWKS(context: fixture.context).json(),
            case .array(let keys) = set.first?.value
        else {
            Issue.record("no keys")
            return [:]
        }
        for case .object(let members) in keys {
            var key: [String: String] = [:]
            for case (let name, .string(let value)) in members { key[name] = value }
            if key["kid"] == kid { return key }
        }
        Issue.record("kid \(kid) not published")
        return [:]
    }

    private func parts(_ token: String) throws -> (header: [String: Any], claims: [String: Any]) {
        let segments = token.split(separator: ".").map(String.init)
        func decode(_ text: String) throws -> [String: Any] {
            let bytes = try #require(JWKVerifier.decode(text))
            return try #require(
                try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        }
        return (try decode(segments[0]), try decode(segments[1]))
    }

    @Test func codeGrant_idTokenVerifiesAndCarriesEveryClaimInOrder() throws {
        let fixture = try fixture()
        let code = try fixture.code(scope: "openid profile email")

        let issued = try TokenEndpoint(context: fixture.context).handle(
            ClientRequest(
                form: [("grant_type", "authorization_code"), ("code", code)],
                authorization: .basic(
                    username: fixture.client.clientID, password: fixture.clientSecret)))

        let token = try #require(issued.issued.response.idToken)
        let (header, claims) = try parts(token)
        let kid = try #require(header["kid"] as? String)
        let segments = token.split(separator: ".").map(String.init)
        #expect(
            JWKVerifier.verify(
                signingInput: Array((segments[0] + "." + segments[1]).utf8),
                signature: JWKVerifier.decode(segments[2])!, jwk: try jwk(fixture, kid: kid)))
        // The payload's members come in a fixed order, so the same claims give the same
        // bytes.
        let payload = String(decoding: JWKVerifier.decode(segments[1])!, as: UTF8.self)
        let order = [
            "\"iss\"", "\"sub\"", "\"aud\"", "\"exp\"", "\"iat\"", "\"at_hash\"",
            "\"email\"", "\"email_verified\"", "\"name\"", "\"preferred_username\"",
        ]
        let positions = order.map { payload.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        #expect(claims["name"] as? String == "Steve")
        #expect(claims["auth_time"] == nil, "the legacy flow's code records no sign-in time")
        #expect(issued.issued.response.json.serialized.contains("\"id_token\":"))
    }

    @Test func withoutKeyEncryptionKey_openidIsServerErrorAndStoresNothing() throws {
        let fixture = try Fixture()
        // A public client: authenticating it needs no key, so the request reaches signing.
        let (client, _) = try fixture.makeClient(isPublic: true)
        let code = try fixture.storeCode(
            for: client, challenge: RFC7636.challenge, scopes: ["openid", "profile"])
        var configuration = fixture.context.configuration
        configuration.keyEncryptionKey = nil
        let keyless = OAuthContext(
            storage: fixture.context.storage, configuration: configuration,
            clock: fixture.clock.clock)

        do throws(OAuthError) {
            _ = try TokenEndpoint(context: keyless).handle(
                ClientRequest(form: [
                    ("grant_type", "authorization_code"), ("code", code),
                    ("client_id", client.clientID), ("code_verifier", RFC7636.verifier),
                ]))
            Issue.record("expected server_error")
        } catch {
            #expect(error.code == .serverError)
            #expect(error.detail == "no key encryption key is configured")
        }
        #expect(try fixture.context.storage.signingKeys().isEmpty)
    }

    @Test func ring_createsOneKeyPerAlgorithm_evenWhenAskedConcurrently() throws {
        let fixture = try fixture()

        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            _ = try? fixture.context.signingKeys.ensureKeys(fixture.context)
        }

        let keys = try fixture.context.storage.signingKeys()
        #expect(keys.map(\.algorithm).sorted() == ["ES256", "RS256"])
        // Never in clear: the sealed box does not open without the key, nor under
        // another key id.
        for key in keys {
            let sealed = [UInt8](Data(base64Encoded: key.sealedPrivateKey)!)
            #expect(
                AESGCM.open(
                    sealed, key: Self.encryptionKey,
                    associatedData: SigningKeyRing.associatedData(key.kid)) != nil)
            #expect(
                AESGCM.open(
                    sealed, key: Self.encryptionKey,
                    associatedData: SigningKeyRing.associatedData("other")) == nil)
        }
    }

    @Test func rotation_keepsRetiredKeysPublishedForOneIDTokenLifetime() throws {
        let fixture = try fixture()
        let first = try fixture.context.signingKeys.ensureKeys(fixture.context)

        let rotated = try fixture.context.signingKeys.rotate(fixture.context)
        let current = try fixture.context.signingKeys.currentKey(.rs256, fixture.context)

        #expect(rotated.contains { $0.kid == current.kid })
        #expect(try JWKS(context: fixture.context).json().serialized.contains(first[0].kid))
        fixture.clock.advance(by: 3601)
        #expect(try !JWKS(context: fixture.context).json().serialized.contains(first[0].kid))
        _ = try fixture.context.signingKeys.rotate(fixture.context)
        #expect(try fixture.context.storage.signingKeys().count == 4)
    }

    @Test func wrongKeyEncryptionKey_isServerErrorNamingTheCause() throws {
        let fixture = try fixture()
        try fixture.context.signingKeys.ensureKeys(fixture.context)
        var configuration = fixture.context.configuration
        configuration.keyEncryptionKey = [UInt8](repeating: 8, count: 32)
        let other = OAuthContext(storage: fixture.context.storage, configuration: configuration)

        do throws(OAuthError) {
            try other.signingKeys.checkUnsealing(other)
            Issue.record("expected a failure")
        } catch {
            #expect(error.code == .serverError)
            #expect(error.detail?.contains("does not open") == true)
        }
    }

    /// OIDC Core §3.1.3.6 at_hash, for a known input.
    @Test func accessTokenHash_isTheLeftHalfOfSHA256() {
        #expect(
            IDToken.accessTokenHash("abc")
                == Base64URL.encode(
                    Array(
                        SHA256.hash(Array("abc".utf8)).prefix(16))))
        #expect(IDToken.accessTokenHash("abc") == "ungWv48Bz-pBQUDeXa4iIw")
    }
}
