import LatchkeyHTTP
import LatchkeyOAuth
import LatchkeyStorage
import LatchkeyWeb

/// `/account/applications`: every application acting for the user, and Revoke.
extension App {
    func accountApplications(_ request: Request) -> Response {
        do {
            let browser = try browser(request)
            guard let user = browser.user else {
                return redirectToLogin(returnTo: Self.returnAddress(of: request))
            }
            let applications = try authorizedApplications(of: user)
            let notice = request.query["revoked"] == "1" ? Strings.applicationRevoked : nil
            return .html(
                Pages.accountApplications(
                    browser.context, applications: applications, notice: notice))
        } catch {
            return serverErrorPage(error, request)
        }
    }

    func revokeApplication(_ request: Request, clientID: String) -> Response {
        do {
            let browser = try browser(request)
            guard let user = browser.user else {
                return redirectToLogin(returnTo: "/account/applications")
            }
            guard csrfIsValid(request, browser) else { return formExpiredPage(request) }

            let client = try context.store { try context.storage.client(clientID: clientID) }
            if let client {
                try context.store {
                    try context.storage.revokeGrant(
                        userID: user.id, clientRowID: client.id, at: context.clock.now())
                }
                logger.notice(
                    "oauth.grant.revoked",
                    [
                        "request.id": request.id, "oauth.client_id": clientID,
                        "user.id": String(user.id),
                    ])
            }
            return .redirect(to: "/account/applications?revoked=1", status: 303)
        } catch {
            return serverErrorPage(error, request)
        }
    }

    private func authorizedApplications(of user: User) throws(OAuthError) -> [AuthorizedApplication]
    {
        try context.store {
            try context.storage.grants(userID: user.id).compactMap { grant in
                guard let client = try context.storage.client(id: grant.clientRowID) else {
                    return nil
                }
                return AuthorizedApplication(
                    clientID: client.clientID, name: client.name, url: client.mainURL,
                    scopes: grant.scopes, authorizedAt: grant.createdAt,
                    lastUsedAt: grant.lastUsedAt)
            }
        }
    }
}
