/// The look shared by every consent and upload page: one self-contained HTML document
/// (inline CSS, no scripts, no external assets) that reads well on a phone. Pages build
/// their content from `escape`d text and these pieces, so nothing a user or a file name
/// supplies can become markup.
public enum ConsentPageHTML {
    /// Escapes text for use in HTML content and in quoted attribute values.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A whole page. `service` and `title` are plain text; `body` is HTML the caller built.
    public static func document(service: String?, title: String, body: String) -> String {
        let label = service.map { "<p class=\"service\">\(escape($0))</p>\n" } ?? ""
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <title>\(escape(title))</title>
            <style>\(style)</style>
            </head>
            <body>
            <main>
            \(label)<h1>\(escape(title))</h1>
            \(body)
            </main>
            </body>
            </html>

            """
    }

    /// A paragraph of plain text, optionally styled as a notice (`ok`, `error`, `demo`).
    public static func paragraph(_ text: String, kind: String? = nil) -> String {
        let cls = kind.map { " class=\"\(escape($0))\"" } ?? ""
        return "<p\(cls)>\(escape(text))</p>\n"
    }

    /// A form that posts back to the page itself with `action` = `value`. Leaving out the
    /// form's `action` attribute keeps the page working behind proxies that rewrite paths.
    public static func button(_ label: String, action value: String, primary: Bool = false) -> String {
        let cls = primary ? "primary" : "secondary"
        return """
            <form method="post"><button type="submit" class="\(cls)" name="action" value="\(escape(value))">\(escape(label))</button></form>

            """
    }

    /// The button every waiting page has: it ends the import as abandoned (517).
    public static let cancelButton = button("Cancel import", action: "cancel")

    static let style = """
        body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#f4f5f7}\
        main{max-width:34rem;margin:0 auto;padding:1.5rem 1.25rem}\
        h1{font-size:1.4rem;margin:.25rem 0 1rem}\
        .service{margin:0;color:#555;font-size:.9rem;text-transform:uppercase;letter-spacing:.04em}\
        form{margin:1rem 0}\
        button,input[type=file]{font:inherit;width:100%;box-sizing:border-box}\
        button{padding:.8rem 1rem;border-radius:.5rem;border:1px solid #888;background:#fff;cursor:pointer}\
        button.primary{background:#1a5fb4;border-color:#1a5fb4;color:#fff;font-weight:600}\
        input[type=file]{padding:.8rem;border:1px dashed #888;border-radius:.5rem;background:#fff}\
        .ok{padding:.75rem 1rem;background:#e6f4ea;border-left:4px solid #2e7d32}\
        .error{padding:.75rem 1rem;background:#fdecea;border-left:4px solid #c62828}\
        .demo{padding:.75rem 1rem;background:#fff8e1;border-left:4px solid #f9a825}\
        .small{color:#555;font-size:.9rem}
        """
}

extension ConsentPageHTML {
    /// A byte count as people read it on a page: "50 MB", "1.5 MB", "800 kB", "12 bytes".
    /// Decimal units, as browsers and phones show file sizes.
    public static func sizeText(_ bytes: Int) -> String {
        switch bytes {
        case 1_000_000...:
            if bytes % 1_000_000 == 0 { return "\(bytes / 1_000_000) MB" }
            return "\(bytes / 1_000_000).\(bytes % 1_000_000 / 100_000) MB"
        case 1_000...:
            return "\(bytes / 1_000) kB"
        default:
            return bytes == 1 ? "1 byte" : "\(bytes) bytes"
        }
    }
}
