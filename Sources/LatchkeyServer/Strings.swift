import LatchkeyHTTP

/// Every sentence the server module shows a person, in one place.
enum Strings {
    static let notFoundTitle = "Page not found"
    static let notFound = "There is nothing at this address."
    static let methodNotAllowedTitle = "Method not allowed"
    static let methodNotAllowed = "This address does not accept that kind of request."
    static let tooLargeTitle = "Request too large"
    static let tooLarge = "The request body is larger than this server accepts."
    static let urlTooLongTitle = "Address too long"
    static let urlTooLong = "The request address is longer than this server accepts."
    static let badRequestTitle = "Bad request"
    static let malformedParameters = "The request parameters are not correctly encoded."
    static let tooManyParameters = "The request has more parameters than this server accepts."
    static let repeatedParameter = "A request parameter appears more than once."
    static let authorizationErrorTitle = "This application cannot be authorized"
    static let formExpiredTitle = "The form has expired"
    static let formExpired =
        "The form was sent without a valid security token. Go back, reload the page and try again."
    static let serverErrorTitle = "Something went wrong"
    static let serverError = "The server could not complete the request. Try again in a moment."
    static let wrongPassword = "The username or password is wrong."
    static let lockedOut = "Too many failed sign-in attempts. Wait a few minutes and try again."
    static let usernameTaken = "That username is taken."
    static let emailTaken = "That email address is already registered."
    static let applicationSaved = "The application was saved."
    static let applicationDeleted =
        "The application was deleted, and every token issued to it revoked."
    static let applicationRevoked = "Access was revoked."
    static let badDecision = "Choose Allow or Deny."

    /// The device page (RFC 8628 §3.3).
    enum Device {
        static let missingCode = "Type the code your device shows."
        static let unknownCode =
            "That code is not valid. Check the code on your device and type it again."
        static let expiredCode =
            "That code has expired. Start again on your device to get a new code."
        static let usedCode =
            "That code was already used. Start again on your device if it is not connected."
        static let throttled = "Too many wrong codes. Wait a few minutes and try again."
        static let allowed = "Your device is connected. You can go back to it now."
        static let denied = "The device was not connected."
    }
}

extension ParameterError {
    /// What a person or a client is told when the parameters could not be read.
    var message: String {
        switch self {
        case .malformedEncoding: Strings.malformedParameters
        case .tooManyParameters: Strings.tooManyParameters
        }
    }
}
