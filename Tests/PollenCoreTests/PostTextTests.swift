import Foundation
import PollenCore
import Testing

@Suite struct PostTextTests {
    // MARK: - Hashtags

    @Test func hashtagsBecomeLowerCaseSlugs() {
        #expect(PostText.hashtags(in: "Notes on #Supply-Chain and #Analytics") == ["supply-chain", "analytics"])
        #expect(PostText.hashtags(in: "#swift") == ["swift"], "at the very start")
        #expect(PostText.hashtags(in: "#under_score #Ünïcode #café") == ["under_score", "ünïcode", "café"])
        #expect(PostText.hashtags(in: "no tags here").isEmpty)
        #expect(PostText.hashtags(in: "").isEmpty)
    }

    @Test func aTrailingHyphenEndsTheHashtag() {
        #expect(PostText.hashtags(in: "Be #lean- and quick") == ["lean"])
        #expect(PostText.hashtags(in: "#lean--") == ["lean"])
        #expect(PostText.hashtags(in: "#a-b-c-") == ["a-b-c"])
        #expect(PostText.hashtags(in: "# - #-").isEmpty, "a marker without a word is no hashtag")
    }

    @Test func hashtagsEndAtPunctuation() {
        #expect(PostText.hashtags(in: "(#ethics), #design. #data! #ml?") == ["ethics", "design", "data", "ml"])
        #expect(PostText.hashtags(in: "\"#quoted\"") == ["quoted"])
        #expect(PostText.hashtags(in: "line one\n#second-line") == ["second-line"])
    }

    @Test func hashtagsInsideCodeAreIgnored() {
        #expect(PostText.hashtags(in: "Use `#include` with #cpp") == ["cpp"])
        #expect(PostText.hashtags(in: "```\n#define X\n```\nthen #macros") == ["macros"])
        #expect(PostText.hashtags(in: "`#a` #b `#c`") == ["b"])
    }

    @Test func numbersAndWordInternalMarksAreNotHashtags() {
        #expect(PostText.hashtags(in: "Issue #123 and #2026").isEmpty)
        #expect(PostText.hashtags(in: "#2026goals") == ["2026goals"], "digits with letters are a hashtag")
        #expect(PostText.hashtags(in: "a#b c#d").isEmpty)
        #expect(PostText.hashtags(in: "https://example.org/page#section and example.org/#anchor").isEmpty)
        #expect(PostText.hashtags(in: "##double").isEmpty)
    }

    @Test func repeatedHashtagsAppearOnceInFirstOrder() {
        #expect(PostText.hashtags(in: "#Swift #kotlin #swift #SWIFT #Kotlin") == ["swift", "kotlin"])
        #expect(PostText.hashtags(in: "#lean #lean- #Lean") == ["lean"])
    }

    @Test func overlongHashtagsAreLeftOut() {
        let long = String(repeating: "x", count: ProfileRules.tagMaxLength + 1)
        let longest = String(repeating: "y", count: ProfileRules.tagMaxLength)
        #expect(PostText.hashtags(in: "#\(long) #\(longest)") == [longest])
    }

    // MARK: - Mentions

    @Test func mentionsAreLowerCaseHandles() {
        #expect(PostText.mentionedHandles(in: "Thanks @Ada and @grace_h!") == ["ada", "grace_h"])
        #expect(PostText.mentionedHandles(in: "@bob: see this") == ["bob"])
        #expect(PostText.mentionedHandles(in: "(@carol), @dave.") == ["carol", "dave"])
        #expect(PostText.mentionedHandles(in: "no one").isEmpty)
    }

    @Test func aMentionWithADomainKeepsTheHandle() {
        #expect(PostText.mentionedHandles(in: "Hello @ada@example.org") == ["ada"])
    }

    @Test func emailAddressesCodeAndBareMarksAreNotMentions() {
        #expect(PostText.mentionedHandles(in: "Write to ada@example.org").isEmpty)
        #expect(PostText.mentionedHandles(in: "Run `@decorator` now").isEmpty)
        #expect(PostText.mentionedHandles(in: "@ alone, @@double").isEmpty)
    }

    @Test func repeatedMentionsAppearOnce() {
        #expect(PostText.mentionedHandles(in: "@Ada @bob @ada @ADA") == ["ada", "bob"])
    }

    @Test func hashtagsAndMentionsDoNotMix() {
        let text = "@ada on #lean with @bob"
        #expect(PostText.hashtags(in: text) == ["lean"])
        #expect(PostText.mentionedHandles(in: text) == ["ada", "bob"])
        #expect(PostText.hashtags(in: "@swift").isEmpty)
        #expect(PostText.mentionedHandles(in: "#ada").isEmpty)
    }
}
