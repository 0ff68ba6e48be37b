import Foundation
@testable import PollenWeb
import Testing

/// Markdown written to break out of the HTML it becomes. Ink copies a link's address into `href="…"` as typed,
/// so before the renderer hid quotes from it, `[x](https://a/" onmouseover="…)` gave the link an event handler.
@Suite struct HostileMarkdownTests {
    static func html(_ markdown: String) -> String { PostRenderer.html(markdown, mentions: []) }

    /// Every quote in the output belongs to an attribute Pollen writes: after removing those, none is left.
    static func strayQuotes(_ html: String) -> Bool {
        var rest = html
        for pattern in [#"<a rel="nofollow noopener noreferrer" href="[^"<>]*">"#, #"<a href="/tags/[^"]*" class="hashtag">"#,
                        #"<code class="language-[^"]*">"#] {
            rest = rest.replacingOccurrences(of: pattern, with: "", options: .regularExpression)
        }
        return rest.contains("\"")
    }

    @Test(arguments: [
        #"[x](https://example.com/" onmouseover="alert(1))"#,
        #"[x](https://example.com/?q="><svg onload=alert(1)>)"#,
        #"[x](/ "><img src=x onerror=alert(1)>)"#,
        #"![y" onerror="alert(1)](https://example.com/" onerror="alert(2))"#,
        "[x][ref]\n\n[ref]: https://example.com/\"><svg onload=alert(1)>",
        "[x][\" onmouseover=\"alert(1)]",
        "[x](https://example.com/\"\u{0301} onmouseover=\"alert(1))",
        "Say \"hi\" at https://example.com/\"onmouseover=\"alert(1)",
    ])
    func aQuoteInALinkNeverEndsItsAttribute(markdown: String) {
        let rendered = Self.html(markdown)
        #expect(!Self.strayQuotes(rendered), "\(rendered)")
        #expect(!rendered.contains("<svg") && !rendered.contains("<img"), "\(rendered)")
    }

    @Test func quotesStillReadAsQuotesAndLinksStillWork() {
        #expect(Self.html(#"He said "look" at [the guide](https://example.com/a?b=1&c="2")"#)
            == #"<p>He said &quot;look&quot; at <a rel="nofollow noopener noreferrer" href="https://example.com/a?b=1&c=&quot;2&quot;">the guide</a></p>"#)
        // A bare address ends at a quote, as before.
        #expect(Self.html(#"See https://example.com/x" now"#)
            == #"<p>See <a rel="nofollow noopener noreferrer" href="https://example.com/x">https://example.com/x</a>&quot; now</p>"#)
        #expect(Self.html("`say \"hi\"`") == "<p><code>say &quot;hi&quot;</code></p>")
        // The stand-in the renderer uses for quotes, if typed, cannot turn into one.
        let standIn = String(Character(Unicode.Scalar(UInt32(0xFDD0))!))  // a noncharacter: no literal for it
        #expect(Self.html("a\(standIn)b") == "<p>a\u{FFFD}b</p>")
    }

    @Test(arguments: ["[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](java\tscript:alert(1))",
                      "[x](data:text/html,<script>alert(1)</script>)", "[x](&#106;avascript:alert(1))",
                      "![x](javascript:alert(1))", "[x][r]\n\n[r]: javascript:alert(1)"])
    func unsafeAddressesStayText(markdown: String) {
        let rendered = Self.html(markdown)
        #expect(!rendered.contains("<a"), "\(rendered)")
        #expect(!rendered.contains("<script"), "\(rendered)")
    }
}
