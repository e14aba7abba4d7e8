/// User-visible sentences produced by the protocol logic, kept in one place.
public enum Copy {
    public static let usernameRule =
        "Choose a username of 1 to 40 letters, digits, dots, dashes or underscores."
    public static let emailRule = "Enter a valid email address."
    public static let passwordRule = "Choose a password of at least 8 characters."
    public static let nameRule = "Give the application a name of at most 100 characters."
    public static let mainURLRule =
        "The Main Application URL must be an absolute http or https URL."
    public static let grantsRule = "Choose at least one thing the application may do."
    public static let publicClientCredentialsRule =
        "A public client has no secret, so it cannot act as itself (client credentials)."
    public static let callbackRule =
        "Give one to ten Callback URLs, one a line: absolute http or https URLs without a fragment."
}
