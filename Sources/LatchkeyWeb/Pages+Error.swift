extension Pages {
    /// An error page for browsers (SPEC §5 and §10: unknown client, unregistered
    /// redirect URI, 404, 429...). `context` is `nil` when the session is not known,
    /// and the navigation then offers only "Sign in".
    public static func error(
        _ context: PageContext?, status: Int, title: String, message: String
    ) -> String {
        Layout.document(
            title: title, context: context,
            bodyMarkup: """
                <p class="status">\(e(Strings.ErrorPage.status(status)))</p>
                <h1>\(e(title))</h1>
                <p>\(e(message))</p>
                <p><a href="/">\(e(Strings.ErrorPage.home))</a></p>
                """)
    }
}
