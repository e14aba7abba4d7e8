import Foundation

/// `application/x-www-form-urlencoded` text for `pairs`, in order; repeated names stay
/// repeated, which tests of the repeated-parameter rule need.
///
/// Only ASCII letters, digits and `-._*` are left alone; everything else, space and `+`
/// included, is percent-encoded as UTF-8. (`URLQueryItem` leaves `+` as is, which a
/// server decoding a form reads as a space.)
func urlEncoded(_ pairs: [(String, String)]) -> String {
    pairs.map { "\(formEncoded($0.0))=\(formEncoded($0.1))" }.joined(separator: "&")
}

/// A form body: `urlEncoded(pairs)` as UTF-8 bytes.
func form(_ pairs: [(String, String)]) -> Data {
    Data(urlEncoded(pairs).utf8)
}

private func formEncoded(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: formUnreserved)!
}

private let formUnreserved = CharacterSet(
    charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._*")
