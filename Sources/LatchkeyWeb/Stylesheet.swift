/// The one style sheet every page links, served by Latchkey at `path` (SPEC §3, §10).
///
/// It stays small (far under 64 KiB), loads nothing remote, and keeps every page inside
/// a 390 px wide screen: long client IDs, secrets and URLs wrap anywhere. Colours come in
/// a light and a dark set, both with text contrast of at least 4.5:1.
public enum Stylesheet {
    /// Where pages link the style sheet; the server must answer it with `css`.
    public static let path = "/style.css"

    /// The style sheet, served as `text/css; charset=utf-8`.
    public static let css = """
        :root {
          color-scheme: light dark;
          --bg: #ffffff;
          --surface: #f4f5f7;
          --text: #1b1d21;
          --muted: #4d535c;
          --border: #8a919c;
          --link: #0a58b0;
          --accent: #0a58b0;
          --on-accent: #ffffff;
          --danger: #b3261e;
          --on-danger: #ffffff;
          --focus: #c2410c;
          --error-bg: #fdecea;
          --notice-bg: #e7f4ea;
          --warning-bg: #fff4d6;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #15171a;
            --surface: #1f2226;
            --text: #e8eaed;
            --muted: #b4bac3;
            --border: #7c848f;
            --link: #8ab8f5;
            --accent: #8ab8f5;
            --on-accent: #10131a;
            --danger: #f28b82;
            --on-danger: #1b0e0d;
            --focus: #fdba74;
            --error-bg: #3b1d1b;
            --notice-bg: #1b3222;
            --warning-bg: #3a3015;
          }
        }
        *, *::before, *::after { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
        body {
          margin: 0;
          background: var(--bg);
          color: var(--text);
          font: 1rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
          overflow-wrap: anywhere;
        }
        a { color: var(--link); }
        a:hover { text-decoration-thickness: 2px; }
        :focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
        main:focus { outline: none; }
        .skip-link {
          position: absolute;
          left: 0.5rem;
          top: -3rem;
          padding: 0.5rem 0.75rem;
          background: var(--bg);
          color: var(--link);
        }
        .skip-link:focus { top: 0.5rem; }
        .visually-hidden {
          position: absolute;
          width: 1px;
          height: 1px;
          margin: -1px;
          padding: 0;
          overflow: hidden;
          clip: rect(0 0 0 0);
          white-space: nowrap;
          border: 0;
        }
        .site-header {
          display: flex;
          flex-wrap: wrap;
          align-items: center;
          justify-content: space-between;
          gap: 0.5rem 1.5rem;
          padding: 0.75rem max(1rem, calc((100% - 40rem) / 2));
          border-bottom: 1px solid var(--border);
          background: var(--surface);
        }
        .brand { font-weight: 700; font-size: 1.2rem; color: var(--text); text-decoration: none; }
        nav ul {
          display: flex;
          flex-wrap: wrap;
          gap: 0.25rem 1rem;
          margin: 0;
          padding: 0;
          list-style: none;
        }
        nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 2px; }
        .nav-user { color: var(--muted); }
        main { max-width: 42rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
        h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.5rem 0 1rem; }
        h2 { font-size: 1.2rem; line-height: 1.3; margin: 1.75rem 0 0.5rem; }
        code {
          font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
          font-size: 0.92em;
        }
        .credential {
          display: inline-block;
          max-width: 100%;
          padding: 0.1rem 0.35rem;
          border: 1px solid var(--border);
          border-radius: 4px;
          background: var(--surface);
          overflow-wrap: anywhere;
          word-break: break-all;
        }
        .secret { font-size: 1rem; user-select: all; }
        .url, dd, li { overflow-wrap: anywhere; }
        .scope { color: var(--muted); }
        .hint, .status { color: var(--muted); font-size: 0.93rem; }
        .status { margin: 0; text-transform: uppercase; letter-spacing: 0.05em; }
        .field { margin: 0 0 1rem; }
        label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
        .field .hint { margin: 0 0 0.35rem; }
        fieldset.field {
            border: 1px solid var(--border); border-radius: 6px; padding: 0.5rem 0.9rem;
        }
        legend { font-weight: 600; padding: 0 0.25rem; }
        .check { display: flex; align-items: center; gap: 0.5rem; margin: 0.35rem 0; }
        .check label { display: inline; font-weight: normal; margin: 0; }
        .check input[type="checkbox"] { width: auto; display: inline-block; margin: 0; }
        input:not([type="hidden"]), textarea {
          display: block;
          width: 100%;
          padding: 0.55rem 0.65rem;
          border: 1px solid var(--border);
          border-radius: 6px;
          background: var(--bg);
          color: var(--text);
          font: inherit;
        }
        textarea { min-height: 6rem; resize: vertical; font-family: ui-monospace, monospace; }
        .actions { display: flex; flex-wrap: wrap; gap: 0.75rem; margin: 1.25rem 0; }
        .button {
          display: inline-block;
          min-height: 2.75rem;
          padding: 0.6rem 1.1rem;
          border: 2px solid var(--accent);
          border-radius: 6px;
          font: inherit;
          font-weight: 600;
          line-height: 1.3;
          text-align: center;
          text-decoration: none;
          cursor: pointer;
        }
        .button.primary { background: var(--accent); color: var(--on-accent); }
        .button.secondary { background: transparent; color: var(--link); }
        .button.danger {
          border-color: var(--danger);
          background: var(--danger);
          color: var(--on-danger);
        }
        .consent .actions .button { flex: 1 1 8rem; }
        .alert {
          margin: 0 0 1.25rem;
          padding: 0.75rem 1rem;
          border-left: 4px solid var(--border);
          border-radius: 4px;
        }
        .alert p, .alert ul { margin: 0.25rem 0; }
        .alert h2 { margin-top: 0.25rem; }
        .alert.error { background: var(--error-bg); border-left-color: var(--danger); }
        .alert.notice { background: var(--notice-bg); border-left-color: var(--accent); }
        .alert.warning { background: var(--warning-bg); border-left-color: var(--focus); }
        .facts {
          display: grid;
          grid-template-columns: minmax(0, max-content) minmax(0, 1fr);
          gap: 0.35rem 1rem;
          margin: 0 0 1rem;
        }
        .facts dt { font-weight: 600; }
        .facts dd { margin: 0; min-width: 0; }
        .cards, .plain, .links { padding: 0; list-style: none; }
        .plain, .links { margin: 0; }
        .links li { margin: 0.5rem 0; }
        .card {
          margin: 0 0 1rem;
          padding: 1rem;
          border: 1px solid var(--border);
          border-radius: 8px;
        }
        .card h2 { margin-top: 0; }
        .card form { margin: 0.5rem 0 0; }
        .scopes { padding-left: 1.25rem; }
        .scopes li { margin: 0.35rem 0; }
        .empty { color: var(--muted); font-style: italic; }
        @media (max-width: 30rem) {
          .facts { grid-template-columns: minmax(0, 1fr); gap: 0.1rem; }
          .facts dd { margin-bottom: 0.5rem; }
          .actions .button { flex: 1 1 100%; }
        }
        @media (prefers-reduced-motion: reduce) {
          * { transition: none !important; animation: none !important; }
        }

        """
}
