import Foundation
import PollenCore
import Testing

@Suite struct PostSearchQueryTests {
    @Test func wordsAreLowerCasedAndLoseThePunctuationAroundThem() {
        let query = PostSearchQuery.parse("  Kaizen, LEAN!  (flow)  \"\"  ")
        #expect(query == PostSearchQuery(words: ["kaizen", "lean", "flow"]))
        // Punctuation inside a word is part of it.
        #expect(PostSearchQuery.parse("e-mail don't a:b").words == ["e-mail", "don't", "a:b"])
        #expect(PostSearchQuery.parse("Café Ünïcode").words == ["café", "ünïcode"])
    }

    @Test func operatorCharactersOnTheirOwnAreNotWords() {
        #expect(PostSearchQuery.parse("* - : ( ) ^ + ~ \u{2014}").isEmpty)
        #expect(PostSearchQuery.parse("lean* -kaizen (flow) :gemba").words == ["lean", "kaizen", "flow", "gemba"])
        // Words that are operators in a full-text query language are plain words here.
        #expect(PostSearchQuery.parse("lean AND kaizen OR NOT near").words == ["lean", "and", "kaizen", "or", "not", "near"])
    }

    @Test func aTokenWithoutALetterOrDigitIsNotAWord() {
        // A zero-width space or a lone combining accent, pasted from elsewhere, cannot be found in any text;
        // as a word it would make every search with it come back empty.
        #expect(PostSearchQuery.parse("lean \u{200B}").words == ["lean"])
        #expect(PostSearchQuery.parse("\u{0301} kaizen").words == ["kaizen"])
    }

    @Test func quotedPhrasesAreKeptWhole() {
        let query = PostSearchQuery.parse("before \"Value Stream\" after \"  gemba walk  \"")
        #expect(query.phrases == ["Value Stream", "gemba walk"])
        #expect(query.words == ["before", "after"])
        #expect(query.fromHandle == nil && query.hashtags.isEmpty)
        // Operators inside a phrase are part of it.
        #expect(PostSearchQuery.parse("\"#lean from:@ada\"") == PostSearchQuery(phrases: ["#lean from:@ada"]))
    }

    @Test func anUnclosedQuoteRunsToTheEnd() {
        #expect(PostSearchQuery.parse("lean \"value stream") == PostSearchQuery(words: ["lean"], phrases: ["value stream"]))
        #expect(PostSearchQuery.parse("\"a\" \"b c").phrases == ["a", "b c"])
        #expect(PostSearchQuery.parse("\"").isEmpty)
        #expect(PostSearchQuery.parse("\"   \"").isEmpty)
        #expect(PostSearchQuery.parse("\"\"\"\"").isEmpty)
    }

    @Test func fromTakesAHandleWithOrWithoutTheAt() {
        #expect(PostSearchQuery.parse("from:@Ada").fromHandle == "ada")
        #expect(PostSearchQuery.parse("from:ada").fromHandle == "ada")
        #expect(PostSearchQuery.parse("FROM:@ada").fromHandle == "ada")
        #expect(PostSearchQuery.parse("from:@ada@example.org").fromHandle == "ada", "a full address names the local handle")
        let query = PostSearchQuery.parse("from:@ada kaizen")
        #expect(query == PostSearchQuery(words: ["kaizen"], fromHandle: "ada"))
        // With nothing after it, from: filters nothing and is not a word either.
        #expect(PostSearchQuery.parse("from:").isEmpty)
        #expect(PostSearchQuery.parse("from:@").isEmpty)
        #expect(PostSearchQuery.parse("from:@ada from:@bob").fromHandle == "bob", "the last one counts")
    }

    @Test func hashtagsAreNormalizedAsPostsStoreThem() {
        #expect(PostSearchQuery.parse("#Lean").hashtags == ["lean"])
        #expect(PostSearchQuery.parse("#Supply-Chain #DataOps").hashtags == ["supply-chain", "dataops"])
        // Punctuation after a tag ends it, as in a post's text: "#lean, #kaizen" finds posts tagged lean and kaizen.
        #expect(PostSearchQuery.parse("#lean, #kaizen.").hashtags == ["lean", "kaizen"])
        #expect(PostSearchQuery.parse("#lean-").hashtags == ["lean"])
        #expect(PostSearchQuery.parse("#lean") == PostSearchQuery(hashtags: ["lean"]))
        #expect(PostSearchQuery.parse("#").isEmpty, "a lone # is neither a tag nor a word")
        #expect(PostSearchQuery.parse("#!").isEmpty)
    }

    @Test func operatorsMix() {
        let query = PostSearchQuery.parse("from:@Ada #Lean \"Value Stream\" Kaizen, flow #kaizen \"gemba")
        #expect(query == PostSearchQuery(
            words: ["kaizen", "flow"], phrases: ["Value Stream", "gemba"], fromHandle: "ada", hashtags: ["lean", "kaizen"]))
        #expect(!query.isEmpty)
    }

    @Test func emptyInputIsAnEmptyQuery() {
        #expect(PostSearchQuery.parse("") == PostSearchQuery())
        #expect(PostSearchQuery.parse(" \t\n ").isEmpty)
        #expect(PostSearchQuery().isEmpty)
        #expect(!PostSearchQuery(fromHandle: "ada").isEmpty)
        #expect(!PostSearchQuery(hashtags: ["lean"]).isEmpty)
        #expect(!PostSearchQuery(phrases: ["a b"]).isEmpty)
    }

    @Test func veryLongInputIsCutShort() {
        let query = PostSearchQuery.parse(String(repeating: "ab ", count: 1_000))
        #expect(query.words.count == 167, "only the first 500 characters are read")
        #expect(query.words.allSatisfy { $0 == "ab" })
    }
}
