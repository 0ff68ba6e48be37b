import ArgumentParser
import Foundation
import PollenCore
import PollenStorage

struct Members: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage members from the command line.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a member. Without --password it is asked for (or, with no terminal, read from standard input; empty: no password, and an administrator makes a sign-in link).")

        @OptionGroup var storage: StorageOptions
        @Option var handle: String
        @Option var email: String
        @Option(help: "The display name.") var name: String
        @Option var password: String?
        @Option(help: "member, moderator or admin.") var role: String = "member"
        @Option var department: String = ""
        @Option var location: String = ""
        @Option var jobRole: String = ""
        @Option(help: "Comma-separated subject tags.") var subjects: String = ""
        @Option(help: "Comma-separated expertise tags.") var expertise: String = ""

        func run() async throws {
            guard let role = Member.Role(rawValue: role) else {
                throw ValidationError("--role must be member, moderator or admin.")
            }
            let password = try password ?? Self.askPassword()
            try await reportingErrors {
                try await storage.withPollen { pollen, _ in
                    let member = try await pollen.addMember(
                        AddMemberCommand(
                            handle: handle, email: email, displayName: name, password: password?.nilIfEmpty, role: role,
                            profile: Profile(
                                displayName: name, department: department, location: location, jobRole: jobRole,
                                subjects: ProfileRules.splitTagList(subjects),
                                expertise: ProfileRules.splitTagList(expertise))),
                        by: .system)
                    print("Created @\(member.handle) (\(member.role.rawValue)), id \(member.id).")
                    if member.passwordHash == nil {
                        print("No password yet: an administrator makes a sign-in link for @\(member.handle) under Admin → Members.")
                    }
                }
            }
        }

        static func askPassword() throws -> String? {
            guard isatty(STDIN_FILENO) == 1 else { return readLine(strippingNewline: true) }
            guard let first = getpass("Password: ").map({ String(cString: $0) }),
                let second = getpass("Repeat password: ").map({ String(cString: $0) })
            else { return nil }
            guard first == second else { throw ValidationError("The passwords differ.") }
            return first
        }
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import data from files.", subcommands: [ImportMembers.self, ImportContent.self])

    struct ImportMembers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "members",
            abstract: "Import members from a CSV file with the columns email, name, handle, department, location, job role, subjects, expertise.")

        @OptionGroup var storage: StorageOptions
        @Argument(help: "The CSV file.") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("Cannot read \(file).")
            }
            guard let text = String(validating: data, as: UTF8.self) else {
                throw ValidationError("\(file) is not UTF-8 text.")
            }
            var rejected = 0
            try await reportingErrors {
                try await storage.withPollen { pollen, _ in
                    let report = try await pollen.importMembers(csv: text, by: .system)
                    for error in report.errors { print("line \(error.line): \(error.message)") }
                    print("Members: \(report.summary).")
                    rejected = report.errors.count
                }
            }
            if rejected > 0 { throw ExitCode(1) }
        }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fill the database with a believable demo organization (the same for the same seed).")

    @OptionGroup var storage: StorageOptions
    @Option(help: "How many members.") var members: Int = 200
    @Option(help: "The random seed.") var seed: UInt64 = 1
    @Flag(help: "Members only: no follows, posts or favourites.") var noActivity = false

    func run() async throws {
        let started = Date()
        try await reportingErrors {
            try await storage.withPollen { pollen, _ in
                let showProgress = members >= 2_000
                let report = try await pollen.seedDemo(members: members, seed: seed, activity: !noActivity) {
                    phase, done, total in
                    if showProgress {
                        FileHandle.standardError.write(Data("\r\(phase): \(done)/\(total)".utf8))
                        if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
                    }
                }
                let seconds = Date().timeIntervalSince(started)
                print("Demo organization: \(report.created) members created, \(report.skipped) already there, in \(String(format: "%.1f", seconds)) s.")
                if report.follows + report.posts > 0 {
                    print("Activity: \(report.follows) follows, \(report.posts) posts, \(report.favourites) favourites.")
                    print("Communities: \(report.communities), with \(report.communityItems) items.")
                    print("Questions: \(report.questions), with \(report.answers) answers.")
                    print("Value: \(report.usefulMarks) answers marked useful, \(report.valueStories) value stories.")
                    // Thought leaders and suggestions are there from the first page, not after the server's
                    // first hourly rebuild.
                    try await pollen.refreshSubjectScores()
                }
                if let admin = report.adminHandle { print("Administrator: @\(admin).") }
                print("Every demo member signs in with the password: \(report.password)")
            }
        }
    }
}
