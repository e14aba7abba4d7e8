import LatchkeyCrypto
import Testing

@testable import LatchkeyOAuth

/// The keyed hash client secrets are stored as (SPEC §9).
struct ClientSecretHasherTests {
    /// Bytes 00 01 02 ... 1f.
    static let keyEncryptionKey = (0..<32).map { UInt8($0) }
    /// A well-formed secret whose random part is the bytes 20 21 ... 3f.
    static let secret = "lks_ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8-egtgg"

    /// Computed with OpenSSL's command line, apart from Latchkey's code:
    ///
    ///     KEK=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
    ///     KEY=$(printf '%s' 'latchkey client secret hash v1' \
    ///         | openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEK | awk '{print $NF}')
    ///     printf '%s' 'lks_ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8-egtgg' \
    ///         | openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEY
    ///
    /// The first step gives the derived key
    /// 3121df0ad2b0a5be526be7174c96c5cbfff887e128cc20bc6f77e0578eb255dc.
    static let expectedHash =
        "hmac-sha256:15aae6200c152fc8dab2c4164af734b4f6e67a86995155294aef3e653ea9e30c"

    /// `printf '%s' SECRET | openssl dgst -sha256`: what earlier versions stored.
    static let legacyHash = "a5b5998b62096a2c5a3aef811c8bd68b02c0cfae2b123b47d5fe3f320573ba71"

    let hasher = ClientSecretHasher(keyEncryptionKey: Self.keyEncryptionKey)

    @Test func storedHash_knownKeyAndSecret_isTheHMACComputedByOpenSSL() {
        #expect(hasher.storedHash(of: Self.secret) == Self.expectedHash)
    }

    @Test func legacyHash_isThePlainSHA256OfTheSecret() {
        #expect(SHA256.hexDigest(Self.secret) == Self.legacyHash)
    }

    @Test func verify_keyedHashOfTheSecret_isMatch() {
        #expect(hasher.verify(Self.secret, against: Self.expectedHash) == .match)
    }

    @Test func verify_underAnotherKeyEncryptionKey_isMismatch() {
        var otherKey = Self.keyEncryptionKey
        otherKey[31] ^= 1
        let other = ClientSecretHasher(keyEncryptionKey: otherKey)

        #expect(other.storedHash(of: Self.secret) != Self.expectedHash)
        #expect(other.verify(Self.secret, against: Self.expectedHash) == .mismatch)
    }

    @Test func verify_legacySHA256OfTheSecret_isMatchesUnkeyedHash() {
        #expect(hasher.verify(Self.secret, against: Self.legacyHash) == .matchesUnkeyedHash)
    }

    @Test func verify_otherSecret_isMismatchForBothForms() {
        let other = CredentialKind.clientSecret.generate()

        #expect(hasher.verify(other, against: Self.expectedHash) == .mismatch)
        #expect(hasher.verify(other, against: Self.legacyHash) == .mismatch)
    }

    /// A stored value that is neither form, or a damaged one, never matches; nor does
    /// presenting what is stored instead of the secret.
    @Test(arguments: [
        "", "hmac-sha256:", String(expectedHash.dropLast()), expectedHash + "0",
        expectedHash.uppercased(), "hmac-sha256:" + legacyHash, String(legacyHash.dropLast()),
        legacyHash.uppercased(), "sha256:" + legacyHash,
    ])
    func verify_damagedOrForeignStoredValue_isMismatch(stored: String) {
        #expect(hasher.verify(Self.secret, against: stored) == .mismatch)
    }

    @Test func verify_storedValuePresentedAsTheSecret_isMismatch() {
        #expect(hasher.verify(Self.expectedHash, against: Self.expectedHash) == .mismatch)
        #expect(hasher.verify(Self.legacyHash, against: Self.legacyHash) == .mismatch)
    }

    @Test func configuration_derivesTheHasherWhenTheKeyIsSet() {
        var configuration = OAuthConfiguration()
        #expect(configuration.clientSecretHasher == nil)

        configuration.keyEncryptionKey = Self.keyEncryptionKey
        #expect(configuration.clientSecretHasher?.storedHash(of: Self.secret) == Self.expectedHash)

        configuration.keyEncryptionKey = [UInt8](repeating: 1, count: 16)
        #expect(configuration.clientSecretHasher == nil, "only a 32-byte key is a key")

        configuration.keyEncryptionKey = nil
        #expect(configuration.clientSecretHasher == nil)
    }
}
