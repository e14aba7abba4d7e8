import Foundation
import LatchkeyStorage
import Testing

@testable import LatchkeyOAuth

struct AuthorizationEndpointLegacyTests {
    @Test func validate_unknownClient_isUntrustedInvalidClient() throws {
        let fixture = try Fixture()
        let flow = AuthorizationEndpoint(context: fixture.context, dialect: .legacy)
        #expect(
            throws: AuthorizationRequest.Failure.untrusted(
                OAuthError(.invalidClient, "No application has this client_id."))
        ) {
            try flow.validate(fixture.parameters(["client_id": ["nope"]]))
        }
    }

    @Test(arguments: [[String](), [""]])
    func validate_missingClientID_isUntrustedInvalidRequest(values: [String]) throws {
        let fixture = try Fixture()
        let flow = AuthorizationEndpoint(context: fixture.context, dialect: .legacy)
        #expect(
            throws: AuthorizationRequest.Failure.untrusted(
                OAuthError(.invalidRequest, "The request names no client_id."))
        ) {
            try flow.validate(fixture.parameters(["client_id": values]))
        }
    }

    @Test func validate_repeatedClientID_isUntrustedInvalidRequest() throws {
        let fixture = try Fixture()
        let id = fixture.client.clientID
        #expect(
            throws: AuthorizationRequest.Failure.untrusted(
                OAuthError(.invalidRequest, "The client_id or redirect_uri is repeated."))
        ) {
            try AuthorizationEndpoint(context: fixture.context, dialect: .legacy).validate(
                fixture.parameters(["client_id": [id, id]]))
        }
    }

    @Test func validate_unregisteredRedirectURI_isUntrusted() throws {
        let fixture = try Fixture()
        let result = Result {
            try AuthorizationEndpoint(context: fixture.context, dialect: .legacy).validate(
                fixture.parameters([
                    "client_id": [fixture.client.clientID],
                    "redirect_uri": ["https://evil.example/cb"],
                ]))
        }
        guard case .failure(AuthorizationRequest.Failure.untrusted(let error)) = result else {
            Issue.record("expected an untrusted failure, got \(result)")
            return
        }
        #expect(error.code == .invalidRequest)
    }

    @Test func validate_unknownScope_isRedirectedWithState() throws {
        let fixture = try Fixture()
        let result = Result {
            try AuthorizationEndpoint(context: fixture.context, dialect: .legacy).validate(
                fixture.parameters([
                    "client_id": [fixture.client.clientID], "scope": ["admin"], "state": ["s1"],
                ]))
        }
        guard case .failure(AuthorizationRequest.Failure.redirect(let error, let location)) = result
        else {
            Issue.record("expected a redirect failure, got \(result)")
            return
        }
        #expect(error.code == .invalidScope)
        #expect(location.hasPrefix("https://goat.example/cb?error=invalid_scope&"))
        #expect(location.hasSuffix("&state=s1"))
    }

    @Test func validate_withoutScope_getsClientDefaults() throws {
        let fixture = try Fixture()
        let request = try AuthorizationEndpoint(context: fixture.context, dialect: .legacy)
            .validate(
                fixture.parameters(["client_id": [fixture.client.clientID]]))
        #expect(request.scopes == ["profile", "email"])
        #expect(request.redirectURI == "https://goat.example/cb")
    }

    @Test func allow_sendsCodeAndStateToCallback() throws {
        let fixture = try Fixture()
        let flow = AuthorizationEndpoint(context: fixture.context, dialect: .legacy)
        let request = try flow.validate(
            fixture.parameters([
                "client_id": [fixture.client.clientID], "state": ["a b&c"],
                "redirect_uri": ["https://goat.example/other"],
            ]))
        let location = try flow.allow(request, userID: fixture.user.id)
        #expect(location.hasPrefix("https://goat.example/other?code=lkc_"))
        #expect(location.hasSuffix("&state=a%20b%26c"))
        #expect(try flow.isAlreadyGranted(request, userID: fixture.user.id))
    }

    @Test func deny_sendsUserToMainURLWithoutCode() throws {
        let fixture = try Fixture()
        let flow = AuthorizationEndpoint(context: fixture.context, dialect: .legacy)
        let request = try flow.validate(
            fixture.parameters(["client_id": [fixture.client.clientID]]))
        #expect(flow.deny(request) == "https://goat.example")
        #expect(try !flow.isAlreadyGranted(request, userID: fixture.user.id))
    }

    @Test func isAlreadyGranted_newScope_asksAgain() throws {
        let fixture = try Fixture()
        _ = try fixture.code(scope: "profile")
        let flow = AuthorizationEndpoint(context: fixture.context, dialect: .legacy)
        let wider = try flow.validate(
            fixture.parameters(["client_id": [fixture.client.clientID], "scope": ["profile email"]])
        )
        #expect(try !flow.isAlreadyGranted(wider, userID: fixture.user.id))
    }
}
