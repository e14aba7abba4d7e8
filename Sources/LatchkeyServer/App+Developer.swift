import LatchkeyHTTP
import LatchkeyOAuth
import LatchkeyStorage
import LatchkeyText
import LatchkeyWeb

/// `/developer/applications`: registering and managing one's own client applications.
extension App {
    func developerApplications(_ request: Request) -> Response {
        withDeveloper(request) { browser, user throws(OAuthError) in
            let clients = try context.store { try context.storage.clients(ownedBy: user.id) }
            let notice = request.query["deleted"] == "1" ? Strings.applicationDeleted : nil
            return .html(
                Pages.developerApplications(
                    browser.context, applications: clients.map(Self.registered), notice: notice))
        }
    }

    func newApplicationForm(_ request: Request) -> Response {
        withDeveloper(request) { browser, _ in
            .html(
                Pages.applicationForm(
                    browser.context, editing: nil, name: "", url: "", callbackURLs: "",
                    grantChoices: Self.grantChoices(
                        ClientRegistry.defaultGrantTypes(isPublic: false)),
                    errors: []))
        }
    }

    func registerApplication(_ request: Request) -> Response {
        withDeveloperForm(request) { browser, user throws(OAuthError) in
            let details = Self.details(from: request.form)
            do {
                let registration = try ClientRegistry(context: context).register(
                    details, ownerUserID: user.id, isPublic: false)
                logger.notice(
                    "oauth.client.created",
                    ["request.id": request.id, "oauth.client_id": registration.client.clientID])
                // The secret is shown on this one response and never again.
                return .html(
                    Pages.applicationDetail(
                        browser.context, application: Self.registered(registration.client),
                        newSecret: registration.secret, notice: nil))
            } catch ClientRegistry.ValidationError.invalid(let problems) {
                return .html(
                    Pages.applicationForm(
                        browser.context, editing: nil, name: details.name, url: details.mainURL,
                        callbackURLs: request.form["callback_urls"] ?? "",
                        grantChoices: Self.grantChoices(
                            details.grantTypes
                                ?? ClientRegistry.defaultGrantTypes(isPublic: false)),
                        errors: problems),
                    status: 400)
            } catch {
                throw .serverError(detail: "register client: \(error)")
            }
        }
    }

    func showApplication(_ request: Request, clientID: String) -> Response {
        withOwnedClient(request, clientID) { browser, client in
            let notice = request.query["saved"] == "1" ? Strings.applicationSaved : nil
            return .html(
                Pages.applicationDetail(
                    browser.context, application: Self.registered(client), newSecret: nil,
                    notice: notice))
        }
    }

    func editApplicationForm(_ request: Request, clientID: String) -> Response {
        withOwnedClient(request, clientID) { browser, client in
            .html(
                Pages.applicationForm(
                    browser.context, editing: client.clientID, name: client.name,
                    url: client.mainURL, callbackURLs: client.callbackURLs.joined(separator: "\n"),
                    grantChoices: Self.grantChoices(client.grantTypes), errors: []))
        }
    }

    func updateApplication(_ request: Request, clientID: String) -> Response {
        withOwnedClient(request, clientID, form: true) { browser, client throws(OAuthError) in
            let details = Self.details(from: request.form)
            do {
                try ClientRegistry(context: context).update(client, with: details)
                return .redirect(
                    to: "/developer/applications/\(client.clientID)?saved=1", status: 303)
            } catch ClientRegistry.ValidationError.invalid(let problems) {
                return .html(
                    Pages.applicationForm(
                        browser.context, editing: client.clientID, name: details.name,
                        url: details.mainURL, callbackURLs: request.form["callback_urls"] ?? "",
                        grantChoices: Self.grantChoices(details.grantTypes ?? client.grantTypes),
                        errors: problems),
                    status: 400)
            } catch {
                throw .serverError(detail: "update client: \(error)")
            }
        }
    }

    func rotateApplicationSecret(_ request: Request, clientID: String) -> Response {
        withOwnedClient(request, clientID, form: true) { browser, client throws(OAuthError) in
            guard !client.isPublic else {
                return errorPage(
                    request, status: 400, title: Strings.badRequestTitle,
                    message: "A public client has no secret.")
            }
            let secret = try context.store {
                try ClientRegistry(context: context).rotateSecret(of: client)
            }
            logger.notice(
                "oauth.client.secret_rotated",
                ["request.id": request.id, "oauth.client_id": client.clientID])
            return .html(
                Pages.applicationDetail(
                    browser.context, application: Self.registered(client), newSecret: secret,
                    notice: nil))
        }
    }

    func deleteApplication(_ request: Request, clientID: String) -> Response {
        withOwnedClient(request, clientID, form: true) { _, client throws(OAuthError) in
            try context.store { try context.storage.deleteClient(id: client.id) }
            logger.notice(
                "oauth.client.deleted",
                ["request.id": request.id, "oauth.client_id": client.clientID])
            return .redirect(to: "/developer/applications?deleted=1", status: 303)
        }
    }

    // MARK: Helpers

    private func withDeveloper(
        _ request: Request, _ body: (Browser, User) throws(OAuthError) -> Response
    ) -> Response {
        do {
            let browser = try browser(request)
            guard let user = browser.user else {
                return redirectToLogin(returnTo: Self.returnAddress(of: request))
            }
            return try body(browser, user)
        } catch {
            return serverErrorPage(error, request)
        }
    }

    private func withDeveloperForm(
        _ request: Request, _ body: (Browser, User) throws(OAuthError) -> Response
    ) -> Response {
        if let failure = parameterFailurePage(request) { return failure }
        return withDeveloper(request) { browser, user throws(OAuthError) in
            guard csrfIsValid(request, browser) else { return formExpiredPage(request) }
            return try body(browser, user)
        }
    }

    /// Another user's application answers 404, as if it did not exist.
    private func withOwnedClient(
        _ request: Request, _ clientID: String, form: Bool = false,
        _ body: (Browser, Client) throws(OAuthError) -> Response
    ) -> Response {
        let wrapper = form ? withDeveloperForm : withDeveloper
        return wrapper(request) { browser, user throws(OAuthError) in
            let client = try context.store { try context.storage.client(clientID: clientID) }
            guard let client, client.ownerUserID == user.id else {
                return errorPage(
                    request, status: 404, title: Strings.notFoundTitle, message: Strings.notFound)
            }
            return try body(browser, client)
        }
    }

    private static func details(from form: Parameters) -> ClientRegistry.Details {
        // Unticked checkboxes send nothing; the marker says the form had them.
        let grants = form["grant_types_present"] == nil ? nil : form.values("grant_types")
        return ClientRegistry.Details(
            name: (form["name"] ?? "").trimmingWhitespaceAndNewlines(),
            mainURL: (form["url"] ?? "").trimmingWhitespaceAndNewlines(),
            callbackURLs: ClientRegistry.Details.callbackURLs(
                fromLines: form["callback_urls"] ?? ""),
            grantTypes: grants)
    }

    private static func grantChoices(_ checked: [String]) -> [GrantChoice] {
        ClientRegistry.grantTypeDescriptions.map {
            GrantChoice(
                value: $0.grantType, label: $0.description,
                isChecked: checked.contains($0.grantType))
        }
    }

    private static func registered(_ client: Client) -> RegisteredApplication {
        RegisteredApplication(
            clientID: client.clientID, name: client.name, url: client.mainURL,
            callbackURLs: client.callbackURLs, isPublic: client.isPublic,
            createdAt: client.createdAt)
    }
}
