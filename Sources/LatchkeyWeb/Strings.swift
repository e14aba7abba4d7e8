/// Every sentence and label the pages show, in one place so that copy can be reviewed
/// and changed without reading markup. Values are plain text; pages escape them.
enum Strings {
    static let appName = "Latchkey"
    static let skipToContent = "Skip to content"
    static let navLabel = "Main"
    static let signedInAs = "Signed in as"
    static let navApplications = "Applications"
    static let navDeveloper = "Developer"
    static let navSignOut = "Sign out"
    static let navSignIn = "Sign in"
    static let navSignUp = "Sign up"
    static let errorsHeading = "Please correct the following:"
    static let cancel = "Cancel"

    enum Home {
        static let title = "Welcome to Latchkey"
        static let intro =
            "Latchkey lets applications act on your behalf without ever seeing your "
            + "password. You choose which applications may use your account, and you can "
            + "take that permission back at any time."
        static let developerIntro =
            "Developers register their applications here and connect them with "
            + "OAuth 2.0 and OpenID Connect."
        static let authorizedLink = "Applications you have authorized"
        static let registeredLink = "Applications you have registered"
        static let signIn = "Sign in"
        static let signUp = "Create an account"
    }

    enum Login {
        static let title = "Sign in"
        static let loginLabel = "Email or username"
        static let passwordLabel = "Password"
        static let submit = "Sign in"
        static let noAccount = "No account yet?"
        static let signUpLink = "Create one"
    }

    enum Signup {
        static let title = "Create an account"
        static let usernameLabel = "Username"
        static let emailLabel = "Email"
        static let passwordLabel = "Password"
        static let nameLabel = "Name (optional)"
        static let submit = "Create account"
        static let haveAccount = "Already have an account?"
        static let signInLink = "Sign in"
    }

    enum Logout {
        static let title = "Sign out"
        static let signedIn = "You are signed in as"
        static let notSignedIn = "You are not signed in."
        static let submit = "Sign out"
    }

    enum Consent {
        static let title = "Authorize application"
        static func heading(_ clientName: String) -> String {
            "Allow \(clientName) to use your account?"
        }
        static let applicationLabel = "Application"
        static let urlLabel = "Website"
        static let asksTo = "If you allow it, this application will be able to:"
        static let noScopes = "It asks for no access beyond knowing that you allowed it."
        static let allow = "Allow"
        static let deny = "Deny"
        static let revokeLater = "You can take this permission back at any time on the"
        static let revokeLaterLink = "Applications page"
    }

    enum Account {
        static let title = "Authorized applications"
        static let intro =
            "These applications may act on your behalf. Revoking one ends every token "
            + "and code it holds for you."
        static let empty = "No application has access to your account."
        static let urlLabel = "Website"
        static let scopesLabel = "Permissions"
        static let noScopes = "None"
        static let authorizedLabel = "Authorized"
        static let lastUsedLabel = "Last used"
        static let never = "Never"
        static let revoke = "Revoke"
        static func revokeFor(_ name: String) -> String { " access for \(name)" }
    }

    enum Developer {
        static let title = "Your applications"
        static let intro =
            "Applications you register here can ask Latchkey users for access to "
            + "their accounts."
        static let empty = "You have not registered any applications yet."
        static let register = "Register a new application"
        static let clientIDLabel = "Client ID"
        static let publicClient = "Public client (no secret)"
        static let confidentialClient = "Confidential client"
    }

    enum ApplicationForm {
        static let newTitle = "Register a new application"
        static let editTitle = "Edit application"
        static let nameLabel = "Name"
        static let urlLabel = "Main Application URL"
        static let callbacksLabel = "Callback URLs, one a line"
        static let callbacksHint =
            "After a user allows or denies access, Latchkey sends them back to one of "
            + "these addresses. A request must name one of them exactly."
        static let grantsLegend = "What the application may do"
        static let submitNew = "Register application"
        static let submitEdit = "Save changes"
    }

    enum ApplicationDetail {
        static let urlLabel = "Main Application URL"
        static let callbacksLabel = "Callback URLs"
        static let clientIDLabel = "Client ID"
        static let typeLabel = "Client type"
        static let createdLabel = "Registered"
        static let secretHeading = "Client secret"
        static let secretWarning = "Copy it now: it will not be shown again."
        static let secretExplanation =
            "Latchkey keeps only a hash of this secret, so nobody can show it to you later."
        static let secretFieldLabel = "New client secret"
        static let regenerateHeading = "Client secret"
        static let regenerateExplanation =
            "A new secret replaces the current one. Applications that use the current "
            + "secret must be updated."
        static let regenerate = "Generate a new secret"
        static let edit = "Edit application"
        static let deleteHeading = "Delete application"
        static let deleteExplanation =
            "Deleting this application revokes every token and code issued to it. "
            + "This cannot be undone."
        static let delete = "Delete application"
        static let back = "Back to your applications"
    }

    enum Device {
        static let title = "Connect a device"
        static let intro =
            "A TV, console or command-line tool asked to use your account and showed you "
            + "a code. Type it here to continue."
        static let codeLabel = "Code"
        static let codeHint = "Eight letters; capitals, dashes and spaces do not matter."
        static let submit = "Continue"
    }

    enum ErrorPage {
        static func status(_ status: Int) -> String { "Error \(status)" }
        static let home = "Go to the home page"
    }
}
