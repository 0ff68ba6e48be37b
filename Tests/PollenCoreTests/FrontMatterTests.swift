import Foundation
@testable import PollenCore
import Testing

@Suite struct FrontMatterTests {
    // MARK: - Happy path

    @Test func fieldsAndBodyAreRead() throws {
        let text = """
            ---
            Title: Supply chain basics
            slug:   supply-chain-basics \t
            # Reviewed by the stewards each quarter.

            tags: [Supply-Chain, #Lean, ops]
            link: https://example.org/a:b
            ---


            # Supply chain basics

            Start here.
            ---
            Not front matter.

            """
        let matter = try FrontMatter.parse(text)
        #expect(matter.fields == [
            "title": "Supply chain basics",
            "slug": "supply-chain-basics",
            "tags": "[Supply-Chain, #Lean, ops]",
            "link": "https://example.org/a:b",
        ])
        #expect(matter.body == "# Supply chain basics\n\nStart here.\n---\nNot front matter.\n")
        #expect(matter.list("tags") == ["supply-chain", "lean", "ops"])
        #expect(matter.list("Tags") == ["supply-chain", "lean", "ops"], "keys are looked up lower-cased")
    }

    @Test func surroundingQuotesAreRemoved() throws {
        let matter = try FrontMatter.parse("""
            ---
            title: "Why we: ship weekly"
            subtitle: 'Notes'
            motto: "It's fine"
            mixed: "unbalanced'
            lone: "
            ---
            """)
        #expect(matter.fields["title"] == "Why we: ship weekly")
        #expect(matter.fields["subtitle"] == "Notes")
        #expect(matter.fields["motto"] == "It's fine")
        #expect(matter.fields["mixed"] == "\"unbalanced'", "mismatched quotes stay")
        #expect(matter.fields["lone"] == "\"", "a single quote character is not a pair")
        #expect(matter.body == "")
    }

    @Test func listsAcceptBracketsCommasAndSpaces() throws {
        let matter = try FrontMatter.parse("""
            ---
            bracketed: [a, b, c]
            commas: Swift,Server , ,Linux
            spaces: #swift #iOS  ##tooling
            quoted: ["Data", 'ML']
            empty: []
            blank:
            ---
            Body
            """)
        #expect(matter.list("bracketed") == ["a", "b", "c"])
        #expect(matter.list("commas") == ["swift", "server", "linux"])
        #expect(matter.list("spaces") == ["swift", "ios", "tooling"])
        #expect(matter.list("quoted") == ["data", "ml"])
        #expect(matter.list("empty").isEmpty)
        #expect(matter.list("blank").isEmpty)
        #expect(matter.fields["blank"] == "")
        #expect(matter.list("missing").isEmpty)
        #expect(matter.body == "Body")
    }

    @Test func windowsLineEndingsAndAByteOrderMarkAreAccepted() throws {
        let text = "\u{FEFF}---\r\ntitle: Hello\r\ntags: a, b\r\n---\r\n\r\nFirst line\r\nSecond line\r\n"
        let matter = try FrontMatter.parse(text)
        #expect(matter.fields == ["title": "Hello", "tags": "a, b"])
        #expect(matter.list("tags") == ["a", "b"])
        #expect(matter.body == "First line\nSecond line\n")
    }

    @Test func emptyFrontMatterAndBodyAreAllowed() throws {
        #expect(try FrontMatter.parse("---\n---\n") == FrontMatter(fields: [:], body: ""))
        #expect(try FrontMatter.parse("---\n---") == FrontMatter(fields: [:], body: ""))
    }

    @Test func fenceLinesMayCarryTrailingSpaces() throws {
        let matter = try FrontMatter.parse("--- \nkey: value\n---\t\nBody")
        #expect(matter.fields == ["key": "value"])
        #expect(matter.body == "Body")
    }

    // MARK: - Errors

    @Test func textWithoutFrontMatterIsRejected() {
        let error = DomainError.invalid("The file does not start with front matter (a line of three hyphens).")
        #expect(throws: error) { try FrontMatter.parse("# Title\n\nBody") }
        #expect(throws: error) { try FrontMatter.parse("") }
        #expect(throws: error) { try FrontMatter.parse("\n---\ntitle: x\n---\n") }
        #expect(throws: error) { try FrontMatter.parse("----\ntitle: x\n----\n") }
    }

    @Test func unclosedFrontMatterIsRejected() {
        let error = DomainError.invalid("The front matter is not closed: add a line of three hyphens after its last field.")
        #expect(throws: error) { try FrontMatter.parse("---\ntitle: x\n\nBody text") }
        #expect(throws: error) { try FrontMatter.parse("---") }
    }

    @Test func aLineThatIsNotKeyValueIsRejectedByNumber() {
        #expect(throws: DomainError.invalid("Line 3 of the front matter is not of the form \"key: value\".")) {
            try FrontMatter.parse("---\ntitle: x\nthis line has no colon\n---\n")
        }
        #expect(throws: DomainError.invalid("Line 2 of the front matter is not of the form \"key: value\".")) {
            try FrontMatter.parse("\u{FEFF}---\r\n: no key\r\n---\r\n")
        }
        #expect(throws: DomainError.invalid("Line 4 of the front matter is not of the form \"key: value\".")) {
            try FrontMatter.parse("---\n# comment\n\nwhat it is: prose\n---\n")
        }
    }

    @Test func aDuplicateKeyIsRejected() {
        #expect(throws: DomainError.invalid("The key \"title\" appears twice in the front matter (lines 2 and 4).")) {
            try FrontMatter.parse("---\ntitle: One\ntags: a\nTITLE: Two\n---\nBody")
        }
    }
}
