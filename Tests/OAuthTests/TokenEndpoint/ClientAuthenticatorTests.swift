import Testing

@testable import LatchkeyOAuth

struct ClientAuthenticatorTests {
    private func authenticate(
        _ fixture: Fixture, _ parameters: [String: String],
        _ authorization: PresentedAuthorization = .none
    ) throws -> AuthenticatedClient {
        try ClientAuthenticator(context: fixture.context).authenticate(
            parameters, authorization: authorization)
    }

    @Test func basic_rightSecret_isClientSecretBasic() throws {
        let fixture = try Fixture()
        let result = try authenticate(
            fixture, [:], .basic(username: fixture.client.clientID, password: fixture.clientSecret))
        #expect(result.client.id == fixture.client.id)
        #expect(result.method == .clientSecretBasic)
    }

    @Test func basic_formEncodedIDAndSecret_areDecoded() throws {
        let fixture = try Fixture()
        // RFC 6749 §2.3.1: each part is form-encoded before Basic; every byte escaped.
        let escape: (String) -> String = { $0.utf8.map { "%" + hex($0) }.joined() }
        let result = try authenticate(
            fixture, [:],
            .basic(
                username: escape(fixture.client.clientID), password: escape(fixture.clientSecret)))
        #expect(result.method == .clientSecretBasic)
    }

    @Test func basic_sameClientIDInBody_isAccepted() throws {
        let fixture = try Fixture()
        let result = try authenticate(
            fixture, ["client_id": fixture.client.clientID],
            .basic(username: fixture.client.clientID, password: fixture.clientSecret))
        #expect(result.method == .clientSecretBasic)
    }

    @Test func post_rightSecret_isClientSecretPost() throws {
        let fixture = try Fixture()
        let result = try authenticate(
            fixture, ["client_id": fixture.client.clientID, "client_secret": fixture.clientSecret])
        #expect(result.method == .clientSecretPost)
        #expect(result.isConfidential)
    }

    @Test func publicClient_withClientIDOnly_isNone() throws {
        let fixture = try Fixture()
        let (client, _) = try fixture.makeClient(isPublic: true)
        let result = try authenticate(fixture, ["client_id": client.clientID])
        #expect(result.method == .none)
        #expect(!result.isConfidential)
    }

    @Test func publicClient_basicWithEmptyPassword_isNone_likeGoOAuth2() throws {
        let fixture = try Fixture()
        let (client, _) = try fixture.makeClient(isPublic: true)
        let result = try authenticate(fixture, [:], .basic(username: client.clientID, password: ""))
        #expect(result.client.id == client.id)
        #expect(result.method == .none)
    }

    @Test func basicAndBodySecret_isInvalidRequest() throws {
        let fixture = try Fixture()
        expectOAuthError(.invalidRequest) {
            _ = try authenticate(
                fixture, ["client_secret": fixture.clientSecret],
                .basic(username: fixture.client.clientID, password: fixture.clientSecret))
        }
    }

    @Test func basicWithOtherClientIDInBody_isInvalidRequest() throws {
        let fixture = try Fixture()
        let (other, _) = try fixture.makeClient()
        expectOAuthError(.invalidRequest) {
            _ = try authenticate(
                fixture, ["client_id": other.clientID],
                .basic(username: fixture.client.clientID, password: fixture.clientSecret))
        }
    }

    /// Every way to fail is the same 401 `invalid_client`.
    @Test(arguments: FailureCase.allCases)
    func failure_isInvalidClient401(failure: FailureCase) throws {
        let fixture = try Fixture()
        let (publicClient, _) = try fixture.makeClient(isPublic: true)
        let (parameters, authorization) = failure.request(
            fixture, publicClientID: publicClient.clientID)
        let error = expectOAuthError(.invalidClient, status: 401) {
            _ = try authenticate(fixture, parameters, authorization)
        }
        #expect(error?.description == "Client authentication failed.")
    }

    enum FailureCase: CaseIterable, Sendable {
        case nothing, unknownClient, wrongSecretPost, wrongSecretBasic, confidentialWithoutSecret
        case confidentialBasicEmptyPassword, publicWithSecret, unusableHeader, badEscapeInBasic
        case emptyBasicUsername

        func request(_ fixture: Fixture, publicClientID: String) -> (
            [String: String], PresentedAuthorization
        ) {
            let id = fixture.client.clientID
            switch self {
            case .nothing: return ([:], .none)
            case .unknownClient:
                return (["client_id": "nobody", "client_secret": fixture.clientSecret], .none)
            case .wrongSecretPost:
                return (["client_id": id, "client_secret": "lks_wrong"], .none)
            case .wrongSecretBasic:
                return ([:], .basic(username: id, password: CredentialKind.clientSecret.generate()))
            case .confidentialWithoutSecret: return (["client_id": id], .none)
            case .confidentialBasicEmptyPassword: return ([:], .basic(username: id, password: ""))
            case .publicWithSecret:
                return (
                    ["client_id": publicClientID, "client_secret": fixture.clientSecret], .none
                )
            case .unusableHeader: return (["client_id": id], .unusable)
            case .badEscapeInBasic:
                return ([:], .basic(username: id + "%zz", password: fixture.clientSecret))
            case .emptyBasicUsername:
                return ([:], .basic(username: "", password: fixture.clientSecret))
            }
        }
    }
}

private func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}
