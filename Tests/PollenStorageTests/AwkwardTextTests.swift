import Foundation
import PollenCore
import PollenStorage
import Testing

/// Text that breaks storage layers elsewhere: SQL's quotes, wildcards and escapes, and Unicode that a
/// normalisation, a collation, a byte-counting column or a trimming step would change. Each is shorter than 70
/// characters, so that a search word and it fit in a display name (at most 80).
enum AwkwardText {
    static let sql = #"'; DROP TABLE posts; -- 100% of_the "quoted" \back\slash\ \' \\ '' %_"#
    /// Hebrew and Arabic, a right-to-left override (U+202E) closed by U+202C, a right-to-left mark.
    static let rightToLeft = "שלום עולם مرحبا \u{202E}txet desrever\u{202C} end\u{200F}."
    /// Zero-width space and joiner, soft hyphen, word joiner, a byte-order mark in the middle.
    static let invisible = "zero\u{200B}width join\u{200D}er soft\u{00AD}hyphen word\u{2060}joiner \u{FEFF}bom"
    /// Decomposed letters (NFC would compose them into single code points) and stacked combining marks.
    static let combining = "Cafe\u{0301} A\u{030A}ngstro\u{0308}m n\u{0303} Z\u{0335}\u{0321}a\u{0336}l\u{0334}g\u{0358}o"
    /// Four-byte emoji, a skin tone, zero-width-joiner sequences, a flag, a variation selector.
    static let emoji = "😀 👩🏽‍💻 👨‍👩‍👧‍👦 🇺🇦 🏳️‍🌈 ❤️ 🫠"
    /// Chinese, Japanese, Korean, characters outside the Basic Multilingual Plane.
    static let cjk = "漢字 かな カナ 한국어 𠜎𠜱 𝐀𝐁𝐂 全角ＡＢＣ"
    /// Unicode's line and paragraph separators and a tab inside the text.
    static let separators = "line\u{2028}separator para\u{2029}graph tab\there"

    /// Each with its own search word, so that a search shows it found that one.
    static let cases: [(word: String, text: String)] = [
        ("amaryllis", sql), ("begonia", rightToLeft), ("camellia", invisible), ("dahlia", combining),
        ("edelweiss", emoji), ("freesia", cjk), ("gardenia", separators),
    ]

    /// `word`, the text and `word` again: the text is in the middle, so trimming the ends cannot change it.
    static func sample(_ word: String, _ text: String) -> String { "\(word) \(text) \(word)" }
}

/// Whether two texts are the same bytes. Swift's `==` on strings compares canonical equivalence, so it would
/// call a composed "é" and a decomposed "é" equal: a normalising layer would pass it unnoticed.
func sameBytes(_ stored: String?, _ sent: String) -> Bool {
    stored.map { Array($0.utf8) == Array(sent.utf8) } ?? false
}

private let start = Date(timeIntervalSince1970: 1_772_323_200)  // 1 March 2026: the members are not new

private struct World {
    let pollen: Pollen
    let members: [Int64: Member]

    func actor(_ id: Int64) -> Actor { .member(members[id]!) }
}

private func withWorld(_ engine: Engine, _ body: (World) async throws -> Void) async throws {
    try await withStore(engine) { store in
        let members = (1...3).map { id in
            makeMember(Int64(id), handle: "m\(id)", role: id == 1 ? .admin : .member, createdAt: start.addingTimeInterval(-90 * 86_400))
        }
        try await store.write { try await $0.members.insertMany(members) }
        let pollen = Pollen(store: store, secrets: PlainSecrets(), time: ManualTimeSource(start))
        try await body(World(pollen: pollen, members: Dictionary(uniqueKeysWithValues: members.map { ($0.id.rawValue, $0) })))
    }
}

/// Awkward text goes in through the use cases (with their validation) and comes back byte for byte, and a word
/// beside it finds it, on every engine. (U+0000 is the exception: PostgreSQL cannot store it in text, SQLite
/// can; the web and API refuse it with 422 before it reaches a use case — see AwkwardTextAPITests.)
@Suite struct AwkwardTextTests {
    @Test(arguments: Engine.enabled)
    func postsKeepTheirBytesAndAreFoundByAWordBesideThem(engine: Engine) async throws {
        try await withWorld(engine) { w in
            var ids: [String: Post.ID] = [:]
            for (word, text) in AwkwardText.cases {
                let body = AwkwardText.sample(word, text)
                let post = try await w.pollen.publishPost(PostDraft(body: body), by: w.actor(2))
                #expect(sameBytes(post.body, body), "\(word): published as \(post.body.debugDescription)")
                let read = try await w.pollen.post(post.id, viewer: w.actor(3))
                #expect(sameBytes(read.post.body, body), "\(word): read back as \(read.post.body.debugDescription)")
                ids[word] = post.id
            }
            for (word, _) in AwkwardText.cases {
                let found = try await w.pollen.search(word, kinds: [.posts], by: w.actor(3)).posts.map(\.post.id)
                #expect(found == [ids[word]!], "searching \(word)")
            }
            // The SQL text searched for is only text: it finds its own post, and nothing is dropped.
            let found = try await w.pollen.search(#""DROP TABLE posts""#, kinds: [.posts], by: w.actor(3)).posts.map(\.post.id)
            #expect(found == [ids["amaryllis"]!])
            for wildcard in ["%", "_", "\\", "'", "\"", "100%", "of_the"] {
                _ = try await w.pollen.search(wildcard, by: w.actor(3))
            }
            #expect(try await w.pollen.search("edelweiss", kinds: [.posts], by: w.actor(3)).posts.count == 1)
        }
    }

    @Test(arguments: Engine.enabled)
    func communityItemsAndCommentsKeepTheirBytesAndAreFound(engine: Engine) async throws {
        try await withWorld(engine) { w in
            _ = try await w.pollen.createCommunity(
                CommunityDraft(slug: "awkward", name: "Awkward", kind: .interest, purpose: AwkwardText.combining, membership: .open),
                by: w.actor(2))
            try await w.pollen.joinCommunity(slug: "awkward", by: w.actor(3))
            for (word, text) in AwkwardText.cases {
                let sample = AwkwardText.sample(word, text)
                let item = try await w.pollen.createItem(
                    ItemDraft(kind: .wiki, title: sample, body: sample, tags: [word], publish: true), in: "awkward", by: w.actor(2))
                let read = try await w.pollen.item(item.id, viewer: w.actor(3), countingView: false).item
                #expect(sameBytes(read.title, sample), "\(word): title read back as \(read.title.debugDescription)")
                #expect(sameBytes(read.body, sample), "\(word): body read back as \(read.body.debugDescription)")
                _ = try await w.pollen.comment(on: item.id, body: sample, by: w.actor(3))
                let comments = try await w.pollen.comments(on: item.id, viewer: w.actor(2))
                #expect(sameBytes(comments.first?.comment.body, sample), "\(word): comment")
                let found = try await w.pollen.searchItems(word, viewer: w.actor(3)).map(\.item.id)
                #expect(found == [item.id], "searching \(word)")
            }
            let community = try await w.pollen.store.read { try await $0.communities.find(slug: "awkward") }
            #expect(sameBytes(community?.purpose, AwkwardText.combining))
            // LIKE's wildcards and escape are taken literally: "%" and "_" match only texts that have them.
            for wildcard in ["%", "_", "\\"] {
                let found = try await w.pollen.searchItems(wildcard, viewer: w.actor(3)).map(\.item.title)
                #expect(found.allSatisfy { $0.contains(wildcard) }, "searching \(wildcard) found \(found)")
                #expect(found.count == 1, "searching \(wildcard) found \(found)")
            }
        }
    }

    @Test(arguments: Engine.enabled)
    func questionsAndAnswersKeepTheirBytes(engine: Engine) async throws {
        try await withWorld(engine) { w in
            for (word, text) in AwkwardText.cases {
                let sample = AwkwardText.sample(word, text)
                let question = try await w.pollen.askQuestion(
                    QuestionDraft(title: sample, body: sample, toFollowers: false, askMembers: [Member.ID(3)]), by: w.actor(2))
                _ = try await w.pollen.answerQuestion(question.id, body: sample, by: w.actor(3))
                _ = try await w.pollen.commentOnQuestion(question.id, body: sample, by: w.actor(3))
                let read = try await w.pollen.question(question.id, viewer: w.actor(2))
                #expect(sameBytes(read.question.title, sample), "\(word): title read back as \(read.question.title.debugDescription)")
                #expect(sameBytes(read.question.body, sample), "\(word): details")
                #expect(sameBytes(read.answers.first?.answer.body, sample), "\(word): answer")
                #expect(sameBytes(read.comments.first?.comment.body, sample), "\(word): comment")
                let similar = try await w.pollen.similarQuestions(to: word, viewer: w.actor(3)).map(\.id)
                #expect(similar.contains(question.id), "questions like \(word)")
            }
        }
    }

    @Test(arguments: Engine.enabled)
    func profilesKeepTheirBytesAndAreFoundInTheDirectory(engine: Engine) async throws {
        try await withWorld(engine) { w in
            for (word, text) in AwkwardText.cases {
                let name = "\(word) \(text)"
                try #require(name.count <= ProfileRules.displayNameLength.upperBound, "\(word) is too long for a name")
                var profile = w.members[2]!.profile
                profile.displayName = name
                profile.bio = AwkwardText.sample(word, text)
                profile.department = name
                profile.location = text
                profile.jobRole = text
                _ = try await w.pollen.updateProfile(of: Member.ID(2), handle: nil, profile: profile, by: w.actor(2))
                let read = try await w.pollen.member(id: Member.ID(2), viewer: w.actor(3)).profile
                #expect(sameBytes(read.displayName, name), "\(word): name read back as \(read.displayName.debugDescription)")
                #expect(sameBytes(read.bio, profile.bio), "\(word): bio")
                #expect(sameBytes(read.department, name), "\(word): department")
                #expect(sameBytes(read.location, text) && sameBytes(read.jobRole, text), "\(word): location and job role")
                let found = try await w.pollen.searchDirectory(DirectoryQuery(text: word), viewer: w.members[3]!).items.map(\.id)
                #expect(found == [Member.ID(2)], "searching \(word)")
            }
        }
    }
}
