import Foundation
import PollenCore
import Testing

@testable import PollenWeb

/// The escaping every account and post in the API goes through; it works on bytes, so multi-byte text and
/// each special character are checked.
@Suite struct HTMLTextTests {
    @Test func escapesMarkupCharactersAndKeepsOtherText() {
        #expect(HTMLText.escape("plain text") == "plain text")
        #expect(HTMLText.escape("<b>\"Tom\" & 'Jerry'</b>") == "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;")
        #expect(HTMLText.escape("Zoë <3 日本語 👩🏽‍🔬") == "Zoë &lt;3 日本語 👩🏽‍🔬")
    }

    @Test func paragraphsSplitOnBlankLinesAndKeepLineBreaks() {
        #expect(HTMLText.paragraphs("") == "")
        #expect(HTMLText.paragraphs("  \n\n ") == "")
        #expect(HTMLText.paragraphs("One line") == "<p>One line</p>")
        #expect(HTMLText.paragraphs("First\nsecond line\n\n\n  Next <para>  \n") == "<p>First<br>second line</p><p>Next &lt;para&gt;</p>")
        #expect(HTMLText.paragraphs("Windows\r\nline\r\n\r\nbreaks") == "<p>Windows<br>line</p><p>breaks</p>")
        #expect(HTMLText.paragraphs("Café ☕\n\nÀ bientôt") == "<p>Café ☕</p><p>À bientôt</p>")
    }
}

/// Rendered post HTML is reused, but only for the same text, mentions and link base.
@Suite struct RenderCacheTests {
    @Test func reusesOnlyForTheSameInput() {
        let cache = RenderCache(capacity: 2)
        let relative = cache.html("Hello #swift", mentions: [])
        #expect(relative.contains("href=\"/tags/swift\""))
        #expect(cache.html("Hello #swift", mentions: [], base: "https://pollen.example") .contains("href=\"https://pollen.example/tags/swift\""))
        #expect(cache.html("Hello #swift", mentions: []) == relative)
        #expect(cache.html("Hello *there*", mentions: []).contains("<em>there</em>"))
        // Past its capacity the cache starts over and still answers correctly.
        #expect(cache.html("Third", mentions: []) == "<p>Third</p>")
        #expect(cache.html("Hello #swift", mentions: []) == relative)
        #expect(cache.html("", mentions: []) == "")
    }
}
