import Testing

@testable import LatchkeyStorage

struct StoredCallbackURLsTests {
    @Test func encode_isAJSONArrayWithSlashesAsTheyAre() throws {
        let text = try StoredCallbackURLs.encode([
            "https://goat.example/callback", "http://127.0.0.1/cb?x=\"y\"",
        ])
        #expect(text == #"["https://goat.example/callback","http://127.0.0.1/cb?x=\"y\""]"#)
    }

    @Test func decode_roundTrips_andAnswersTheSameTheSecondTime() throws {
        let urls = ["https://a.example/cb", "com.example.app:/oauth", "http://[::1]/cb"]
        let text = try StoredCallbackURLs.encode(urls)
        #expect(try StoredCallbackURLs.decode(text) == urls)
        #expect(try StoredCallbackURLs.decode(text) == urls)
        #expect(try StoredCallbackURLs.decode("[]") == [])
    }

    @Test(arguments: ["", "{}", "[1]", "[\"a\"", "null"])
    func decode_notAnArrayOfStrings_isAFailureNamingTheColumn(text: String) {
        #expect {
            try StoredCallbackURLs.decode(text)
        } throws: { error in
            guard case .failure(let detail) = error as? StorageError else { return false }
            return detail.hasPrefix("stored callback URLs are not a JSON array")
        }
    }

    /// More distinct values than the memo holds still decode to their own arrays.
    @Test func decode_pastTheMemoCapacity_staysCorrect() throws {
        for index in 0...(StoredCallbackURLs.memoCapacity + 10) {
            let urls = ["https://app\(index).example/cb"]
            #expect(try StoredCallbackURLs.decode(try StoredCallbackURLs.encode(urls)) == urls)
        }
    }
}
