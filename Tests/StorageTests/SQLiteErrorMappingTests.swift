import Testing

@testable import LatchkeySQLite

@Suite struct SQLiteErrorMappingTests {
    @Test(arguments: [
        ("UNIQUE constraint failed: users.email", "email"),
        ("UNIQUE constraint failed: tokens.token_hash", "token_hash"),
        ("UNIQUE constraint failed: grants.user_id, grants.client_row_id", "user_id"),
    ])
    func conflictingField_sqliteMessage_namesTheColumn(message: String, field: String) {
        #expect(conflictingField(in: message) == field)
    }
}
