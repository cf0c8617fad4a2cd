import ModImgQueue

/// The 401 page: why this browser is not let in, and the URL to open instead (the command and
/// the token's place as code, the token's part kept on one line).
enum SignInPage {
    static func html(_ why: String) -> HTML {
        Layout.page(
            title: "sign in", heading: "sign in", live: false,
            """
            <h1>Sign in</h1>
            <p>\(why)</p>
            <p>Open the URL <code>modimg-queue serve</code> printed when it started \
            (with its <code class="nowrap">?token=…</code>); it is new at every start.</p>
            """)
    }
}
