import Foundation
import Ink
import PollenCore

/// Turns a post's Markdown into HTML that is safe to show: raw HTML in the text is shown as text, links and
/// images only use web and mail addresses, and hashtags and mentions become links.
enum PostRenderer {
    static let safeSchemes: Set<String> = ["http", "https", "mailto"]
    /// Ink copies link and image addresses into `href="…"` as written, so a `"` typed in one would end the
    /// attribute and start another (`[x](https://a/" onmouseover="…)`). Every quote is swapped for this
    /// noncharacter before Ink reads the text and written as `&quot;` after, where it can end nothing.
    private static let quoteStandIn = Unicode.Scalar(UInt32(0xFDD0))!  // Swift refuses noncharacters in literals

    /// `mentions` are the members the post mentions; other `@words` stay plain text. `document` is long-form
    /// text (articles, wiki pages): its headings are kept, one level below the page's own title.
    static func html(_ markdown: String, mentions: [Member], document: Bool = false) -> String {
        guard !markdown.isEmpty else { return "" }
        // Ink's parser is not Sendable: one per render.
        var parser = MarkdownParser()
        parser.addModifier(Modifier(target: .html) { input in HTMLText.escape(String(input.markdown)) })
        parser.addModifier(Modifier(target: .links) { input in safeLink(input.html, markdown: input.markdown) })
        parser.addModifier(Modifier(target: .images) { input in imageAsLink(input.html, markdown: input.markdown) })
        // Headings inside a post would shout over the page's own; they read as strong paragraphs instead.
        parser.addModifier(Modifier(target: .headings) { input in
            if document {
                let level = min(6, (input.html.dropFirst(2).first?.wholeNumberValue ?? 1) + 1)
                return "<h\(level)>" + innerHTML(input.html) + "</h\(level)>"
            }
            return "<p><strong>" + innerHTML(input.html) + "</strong></p>"
        })
        // Ink leaves a closing code fence on the last line unrecognised without a line break after it.
        let text = hidingQuotes(markdown)
        let rendered = parser.html(from: text.hasSuffix("\n") ? text : text + "\n")
        let handles = Dictionary(mentions.map { ($0.handle.lowercased(), $0.handle) }, uniquingKeysWith: { a, _ in a })
        return restoringQuotes(linkTags(in: rendered, handles: handles))
    }

    /// The text with every `"` swapped for ``quoteStandIn`` (and the stand-in itself, should anyone type it,
    /// for U+FFFD), scalar by scalar: a quote joined to a combining mark is still a quote to a browser.
    private static func hidingQuotes(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\"" || $0 == quoteStandIn }) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            scalars.append(scalar == "\"" ? quoteStandIn : scalar == quoteStandIn ? "\u{FFFD}" : scalar)
        }
        return String(scalars)
    }

    /// The rendered HTML with every stand-in written as `&quot;`.
    private static func restoringQuotes(_ html: String) -> String {
        guard html.unicodeScalars.contains(quoteStandIn) else { return html }
        var scalars = String.UnicodeScalarView()
        for scalar in html.unicodeScalars {
            if scalar == quoteStandIn { scalars.append(contentsOf: "&quot;".unicodeScalars) } else { scalars.append(scalar) }
        }
        return String(scalars)
    }

    /// The address of the first `href` or `src` attribute: up to the quote that ends it, found byte by byte.
    private static func href(in html: String) -> String? {
        guard let start = html.range(of: "href=\"") ?? html.range(of: "src=\"") else { return nil }
        let rest = html[start.upperBound...].utf8
        return rest.firstIndex(of: UInt8(ascii: "\"")).map { String(decoding: rest[..<$0], as: UTF8.self) }
    }

    private static func isSafe(_ url: String) -> Bool {
        let decoded = url.replacingOccurrences(of: "&amp;", with: "&")
        if decoded.hasPrefix("/") && !decoded.hasPrefix("//") { return true }
        guard let colon = decoded.firstIndex(of: ":") else { return false }
        let scheme = decoded[..<colon].lowercased().filter { !$0.isWhitespace && $0 != "\u{0}" }
        return safeSchemes.contains(scheme)
    }

    private static func safeLink(_ html: String, markdown: Substring) -> String {
        guard let url = href(in: html), isSafe(url) else {
            return HTMLText.escape(String(markdown))
        }
        // Ink writes `<a href="URL">TEXT</a>`; URL holds no quote (see `quoteStandIn`), so it ends at the first one.
        let open = "<a href=\"" + url + "\""
        guard html.utf8.starts(with: open.utf8) else { return HTMLText.escape(String(markdown)) }
        let rest = String(decoding: html.utf8.dropFirst(open.utf8.count), as: UTF8.self)
        return "<a rel=\"nofollow noopener noreferrer\" href=\"\(escapingAngles(url))\"" + rest
    }

    /// An address with `<` and `>` as entities: legal as they are inside a quoted attribute, but a client that
    /// reads the HTML with patterns rather than a parser would take `<svg …>` in an address for an element.
    private static func escapingAngles(_ url: String) -> String {
        url.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Images from elsewhere would tell their host who reads the post; they become plain links.
    private static func imageAsLink(_ html: String, markdown: Substring) -> String {
        guard let url = href(in: html), isSafe(url) else { return HTMLText.escape(String(markdown)) }
        let alt = markdown.dropFirst(2).prefix { $0 != "]" }
        let label = alt.isEmpty ? "image" : "image: \(alt)"
        return "<a rel=\"nofollow noopener noreferrer\" href=\"\(escapingAngles(url))\">\(HTMLText.escape(label))</a>"
    }

    private static func innerHTML(_ html: String) -> String {
        guard let open = html.firstIndex(of: ">"), let close = html.range(of: "</", options: .backwards) else {
            return html
        }
        return String(html[html.index(after: open)..<close.lowerBound])
    }

    /// An `http(s)://` address written out in the text, up to white space or markup; trailing punctuation
    /// belongs to the sentence, not the address.
    private static func bareURL(in html: String, at index: String.Index) -> String? {
        let rest = html[index...]
        guard rest.hasPrefix("https://") || rest.hasPrefix("http://") else { return nil }
        var url = String(rest.prefix { !$0.isWhitespace && $0 != "<" && !$0.unicodeScalars.contains(quoteStandIn) })
        while let last = url.last, ".,;:!?)".contains(last) { url.removeLast() }
        return url.count > "https://".count ? url : nil
    }

    /// Links `#tag`, `@handle` and bare web addresses in text, outside tags, links and code.
    static func linkTags(in html: String, handles: [String: String]) -> String {
        var output = ""
        output.reserveCapacity(html.count + 64)
        var index = html.startIndex
        var skipDepth = 0
        while index < html.endIndex {
            let character = html[index]
            if character == "<" {
                let end = html[index...].firstIndex(of: ">") ?? html.index(before: html.endIndex)
                let tag = html[index...end].lowercased()
                if tag.hasPrefix("<a ") || tag.hasPrefix("<a>") || tag.hasPrefix("<code") || tag.hasPrefix("<pre") {
                    skipDepth += 1
                } else if tag.hasPrefix("</a") || tag.hasPrefix("</code") || tag.hasPrefix("</pre") {
                    skipDepth = max(skipDepth - 1, 0)
                }
                output += html[index...end]
                index = html.index(after: end)
                continue
            }
            if skipDepth == 0, character == "h", output.last.map({ $0.isWhitespace || $0 == ">" || $0 == "(" }) ?? true,
                let url = bareURL(in: html, at: index)
            {
                output += "<a rel=\"nofollow noopener noreferrer\" href=\"\(url)\">\(url)</a>"
                index = html.index(index, offsetBy: url.count)
                continue
            }
            let previous = output.last
            let atBoundary = previous == nil || !(previous!.isLetter || previous!.isNumber || previous == "_" || previous == "/" || previous == "&")
            if skipDepth == 0, atBoundary, character == "#" || character == "@" {
                var end = html.index(after: index)
                while end < html.endIndex, html[end].isLetter || html[end].isNumber || html[end] == "_"
                    || (character == "#" && html[end] == "-")
                {
                    end = html.index(after: end)
                }
                var word = String(html[html.index(after: index)..<end])
                while character == "#", word.hasSuffix("-") {
                    word.removeLast()
                    end = html.index(before: end)
                }
                if character == "#", !word.isEmpty, !word.allSatisfy(\.isNumber) {
                    let slug = ProfileRules.normalizedTag(word)
                    output += "<a href=\"/tags/\(slug)\" class=\"hashtag\">#\(word)</a>"
                    index = end
                    continue
                }
                if character == "@", let handle = handles[word.lowercased()] {
                    output += "<a href=\"/@\(handle)\" class=\"mention\">@\(word)</a>"
                    index = end
                    continue
                }
            }
            output.append(character)
            index = html.index(after: index)
        }
        return output
    }
}
