import Testing

@testable import LatchkeyOAuth

struct PKCETests {
    @Test func s256Challenge_ofRFC7636AppendixBVerifier_isTheAppendixChallenge() {
        #expect(PKCE.s256Challenge(of: RFC7636.verifier) == RFC7636.challenge)
    }

    @Test func verify_RFC7636AppendixB_matches() {
        #expect(PKCE.verify(verifier: RFC7636.verifier, challenge: RFC7636.challenge))
    }

    @Test(arguments: [
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXK",  // last letter's case changed
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk ",
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXkk",
    ])
    func verify_otherVerifier_doesNotMatch(verifier: String) {
        #expect(!PKCE.verify(verifier: verifier, challenge: RFC7636.challenge))
    }

    @Test(arguments: [(42, false), (43, true), (128, true), (129, false), (0, false)])
    func verify_lengthBounds(length: Int, accepted: Bool) {
        let verifier = String(repeating: "a", count: length)
        let challenge = PKCE.s256Challenge(of: verifier)
        #expect(PKCE.verify(verifier: verifier, challenge: challenge) == accepted)
    }

    @Test func verify_standardBase64Characters_areAccepted_perSPEC() {
        let verifier = "abc+def/ghi=" + String(repeating: "Z", count: 40)
        #expect(PKCE.verify(verifier: verifier, challenge: PKCE.s256Challenge(of: verifier)))
    }

    @Test func verify_againstEmptyOrPlainChallenge_doesNotMatch() {
        #expect(!PKCE.verify(verifier: RFC7636.verifier, challenge: ""))
        // What `plain` would have stored: the verifier itself.
        #expect(!PKCE.verify(verifier: RFC7636.verifier, challenge: RFC7636.verifier))
    }
}
