import LatchkeyStorage
import Testing

@testable import LatchkeyOAuth

struct OAuthContextTests {
    @Test func store_unreachableDatabase_isTemporarilyUnavailable503() throws {
        let fixture = try Fixture()
        let error = #expect(throws: OAuthError.self) {
            try fixture.context.store { () throws -> Int in
                throw StorageError.unavailable("connection refused")
            }
        }
        #expect(error?.code == .temporarilyUnavailable)
        #expect(error?.status == 503)
        #expect(error?.retryAfter == 5)
        #expect(error?.description.contains("connection refused") == false)
        #expect(error?.isServerSide == true)
    }

    @Test func store_otherFailure_isServerError500WithCauseForTheLogOnly() throws {
        let fixture = try Fixture()
        let error = #expect(throws: OAuthError.self) {
            try fixture.context.store { () throws -> Int in
                throw StorageError.failure("disk I/O error")
            }
        }
        #expect(error?.code == .serverError)
        #expect(error?.status == 500)
        #expect(error?.detail?.contains("disk I/O error") == true)
        #expect(error?.description.contains("disk") == false)
    }
}
