import Foundation

/// One file of a folder to import: where it is inside the folder, and its bytes.
public struct ContentFile: Sendable, Equatable {
    /// Relative to the imported folder, with `/` between folders. A Markdown file's path is its import key:
    /// importing a file of the same path again updates the item it made.
    public var path: String
    public var data: [UInt8]

    public init(path: String, data: [UInt8]) {
        self.path = path
        self.data = data
    }
}

/// What a content import did with each file.
public struct ContentImportReport: Sendable, Equatable {
    public enum Outcome: String, Sendable, Equatable {
        case created, updated, unchanged
    }

    /// A Markdown file that is now an item.
    public struct Imported: Sendable, Equatable {
        public let path: String
        public let outcome: Outcome
        public let itemID: CommunityItem.ID
        public let kind: CommunityItem.Kind
        public let title: String
        /// The item's revision after the import: a changed text or file adds one.
        public let revision: Int
    }

    /// A file that was not imported, and why.
    public struct Failure: Sendable, Equatable {
        public let path: String
        public let reason: String
    }

    /// In the order of their paths.
    public var imported: [Imported] = []
    public var failures: [Failure] = []
    /// Files that are neither Markdown nor named by a resource's `file`: left alone, not an error.
    public var skipped: [String] = []

    public init() {}

    public var created: Int { imported.count { $0.outcome == .created } }
    public var updated: Int { imported.count { $0.outcome == .updated } }
    public var unchanged: Int { imported.count { $0.outcome == .unchanged } }
    public var failed: Int { failures.count }

    public var summary: String {
        "\(created) created, \(updated) updated, \(unchanged) unchanged, \(failed) failed"
            + (skipped.isEmpty ? "" : ", \(skipped.count) skipped")
    }
}

extension Pollen {
    /// Front-loads a community with a folder of Markdown files (and the resource files beside them), for its
    /// managers or an operator on the command line (`.system`).
    ///
    /// Each Markdown file starts with front matter: `type` (article, wiki, thread or resource), `title`,
    /// `tags`, `author` (the handle of an active member of the community; the importing manager when left
    /// out), `date` (ISO 8601; a future date schedules an article, a past one is the time shown), a resource's
    /// `file` (a file name beside the Markdown file) or `link`, `announcement: true` and `draft: true`.
    /// Every file is imported in a transaction of its own: a bad file is reported with its reason while the
    /// rest are imported. A file imported again updates its item, adding a revision only when its title,
    /// text, tags or file changed.
    ///
    /// - Throws: ``DomainError`` not found for an unknown community (or a private one the actor is outside
    ///   of), forbidden for anyone who does not manage it; nothing is imported then.
    public func importContent(
        _ files: [ContentFile], into slug: String, by actor: Actor,
        progress: @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> ContentImportReport {
        let importer: Member?
        switch actor {
        case .system: importer = nil
        case .member(let member):
            guard !member.isSuspended else { throw DomainError.notAllowed }
            importer = member
        case .app: throw DomainError.notAllowed
        }
        let community = try await store.read { repos in
            guard let importer else {
                guard let community = try await repos.communities.find(slug: slug) else { throw DomainError.notFound("Community") }
                return community
            }
            let (community, membership) = try await Self.visibleCommunity(slug, viewer: importer, repos: repos)
            try AccessPolicy.require(AccessPolicy.mayManage(community, membership: membership, by: importer))
            return community
        }

        var report = ContentImportReport()
        var byPath: [String: [UInt8]] = [:]
        var documents: [(path: String, data: [UInt8])] = []
        var others: [String] = []
        for file in files.sorted(by: { $0.path < $1.path }) {
            guard let path = Self.importPath(file.path) else {
                report.failures.append(.init(path: file.path, reason: "The path leaves the imported folder."))
                continue
            }
            guard byPath[path] == nil else {
                report.failures.append(.init(path: path, reason: "Another file has the same path."))
                continue
            }
            byPath[path] = file.data
            if Self.isMarkdown(path) && file.data.contains(0) {
                // PostgreSQL cannot store U+0000: the file is reported, the others imported.
                report.failures.append(.init(path: path, reason: "The file contains the NUL character (U+0000)."))
                continue
            }
            if Self.isMarkdown(path) { documents.append((path, file.data)) } else { others.append(path) }
        }
        documents.sort { $0.path < $1.path }
        others.sort()

        // Read every front matter first: a resource's file is known before the files are sorted into items
        // and skipped ones, even when it is itself Markdown.
        let parsed = documents.map { document in
            (document.path, Result { try Self.importedDocument(document.data) })
        }
        let referenced = Set(parsed.compactMap { path, result in
            (try? result.get())?.fileName.flatMap { Self.importPath(Self.folder(of: path) + $0) }
        })
        report.skipped = others.filter { !referenced.contains($0) }
        let items = parsed.filter { !referenced.contains($0.0) }

        for (index, (path, result)) in items.enumerated() {
            do {
                let document = try result.get()
                report.imported.append(
                    try await importDocument(document, path: path, folder: byPath, into: community, importer: importer))
            } catch let error as DomainError {
                report.failures.append(.init(path: path, reason: error.message))
            }
            progress(index + 1, items.count)
        }
        report.failures.sort { $0.path < $1.path }
        return report
    }

    // MARK: - One file

    /// A Markdown file's front matter and text, read but not yet checked against the community.
    struct ImportedDocument: Sendable {
        var kind: CommunityItem.Kind
        var title: String
        var body: String
        var tags: [String]
        var author: String?
        var date: Date?
        var fileName: String?
        var link: String?
        var announcement: Bool
        var draft: Bool
    }

    static func importedDocument(_ data: [UInt8]) throws -> ImportedDocument {
        guard let text = String(validating: data, as: UTF8.self) else {
            throw DomainError.invalid("The file is not UTF-8 text.")
        }
        let matter = try FrontMatter.parse(text)
        func field(_ key: String) -> String? {
            matter.fields[key].flatMap { $0.isEmpty ? nil : $0 }
        }
        func flag(_ key: String) throws -> Bool {
            guard let value = field(key)?.lowercased() else { return false }
            if ["true", "yes", "1"].contains(value) { return true }
            if ["false", "no", "0"].contains(value) { return false }
            throw DomainError.invalid("\(key) is true or false, not \"\(value)\".")
        }
        let kinds = CommunityItem.Kind.allCases.map(\.rawValue)
        guard let type = field("type") else {
            throw DomainError.invalid("The front matter has no type: \(kinds.joined(separator: ", ")).")
        }
        guard let kind = CommunityItem.Kind(rawValue: type.lowercased()) else {
            throw DomainError.invalid("Unknown type \"\(type)\": use \(kinds.joined(separator: ", ")).")
        }
        guard let title = field("title") else { throw DomainError.invalid("The front matter has no title.") }
        var date: Date?
        if let raw = field("date") {
            guard let parsed = importDate(raw) else {
                throw DomainError.invalid("The date \"\(raw)\" is not ISO 8601, such as 2025-03-01 or 2025-03-01T09:30:00Z.")
            }
            date = parsed
        }
        return ImportedDocument(
            kind: kind, title: title, body: matter.body, tags: matter.list("tags"),
            author: field("author").map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 }, date: date,
            fileName: field("file"), link: field("link"), announcement: try flag("announcement"), draft: try flag("draft"))
    }

    /// Creates or updates the item of one file, in a transaction of its own.
    private func importDocument(
        _ document: ImportedDocument, path: String, folder: [String: [UInt8]], into community: Community, importer: Member?
    ) async throws -> ContentImportReport.Imported {
        let now = time.now()
        var file: UploadedFile?
        if let name = document.fileName {
            guard let fullPath = Self.importPath(Self.folder(of: path) + name), let data = folder[fullPath] else {
                throw DomainError.invalid("The resource file \(name) is not beside the Markdown file.")
            }
            file = UploadedFile(name: name, data: data)
        }
        var draft = ItemDraft(
            kind: document.kind, title: document.title, body: document.body, tags: document.tags, publish: !document.draft,
            // A future date goes through the usual check, which schedules articles and refuses the rest.
            publishAt: document.date.flatMap { $0 > now ? $0 : nil }, announcement: document.announcement,
            link: document.link, file: file, note: "Imported from \(path)")
        draft = try Self.validItem(draft, now: now)

        let existing = try await store.read { repos in
            _ = try await Self.importAuthor(document.author, importer: importer, in: community, repos: repos)
            return try await repos.communityContent.find(importKey: path, in: community.id)
        }
        // A file imported again unchanged is not stored again: no new revision, no orphaned copy.
        if let upload = draft.file, let resource = existing?.resource, let key = resource.storageKey,
            resource.fileName == Self.cleanFileName(upload.name), resource.byteSize == upload.data.count,
            (try? files.read(key: key)) == upload.data
        {
            draft.file = nil
        }
        let id = existing?.id ?? CommunityItem.ID(ids.next())
        let upload = try draft.file.map { try storedFile($0, id: id) }
        let clean = draft
        do {
            let (imported, replacedKey) = try await store.write { repos -> (ContentImportReport.Imported, String?) in
                let author = try await Self.importAuthor(document.author, importer: importer, in: community, repos: repos)
                guard let existing = try await repos.communityContent.find(importKey: path, in: community.id) else {
                    // Dated in the past, it was written then; a scheduled article is written now.
                    let written = document.date.map { min($0, now) } ?? now
                    let item = Self.newItem(
                        clean, id: id, community: community.id, author: author.id, resource: upload?.resource, now: written,
                        importKey: path)
                    // A bulk import tells no one: front-loading hundreds of items would bury every watcher's
                    // notifications. The items show on the community home and in timelines.
                    try await Self.insert(item, note: clean.note, repos: repos)
                    return (Self.importedLine(item, path: path, outcome: .created), nil)
                }
                return try await Self.reimport(
                    existing, clean, date: document.date, upload: upload?.resource, by: author, path: path, now: now, repos: repos)
            }
            if let replacedKey { try? files.remove(key: replacedKey) }
            return imported
        } catch {
            if let key = upload?.key { try? files.remove(key: key) }
            throw error
        }
    }

    /// Brings an item up to date with its file again; the file decides its text, state and dates.
    private static func reimport(
        _ existing: CommunityItem, _ clean: ItemDraft, date: Date?, upload: CommunityItem.Resource?, by author: Member,
        path: String, now: Date, repos: any Repositories
    ) async throws -> (ContentImportReport.Imported, String?) {
        guard clean.kind == existing.kind else {
            throw DomainError.invalid("It was imported as a \(existing.kind.noun), and a \(existing.kind.noun) stays one.")
        }
        var item = existing
        item.title = clean.title
        item.body = clean.body
        item.tags = clean.tags
        item.announcement = clean.announcement
        var replacedKey: String?
        if item.kind == .resource {
            if let upload {
                replacedKey = item.resource?.storageKey
                item.resource = upload
            } else if let link = clean.link, item.resource?.link != link || item.resource?.storageKey != nil {
                replacedKey = item.resource?.storageKey
                item.resource = CommunityItem.Resource(link: link)
            }
        }
        if clean.publish {
            item.state = .published
            item.publishedAt = clean.publishAt ?? date.map { min($0, now) } ?? existing.publishedAt ?? now
        } else {
            item.state = .draft
            item.publishedAt = nil
        }
        let textChanged = item.title != existing.title || item.body != existing.body || item.tags != existing.tags
        let fileChanged = item.resource != existing.resource
        guard item != existing else { return (importedLine(existing, path: path, outcome: .unchanged), nil) }
        if textChanged || fileChanged {
            item.revision += 1
            try await repos.communityContent.insertRevision(
                ItemRevision(
                    itemID: item.id, number: item.revision, title: item.title, body: item.body, tags: item.tags,
                    authorID: author.id, createdAt: now, note: clean.note))
        }
        item.updatedAt = now
        try await repos.communityContent.update(item)
        return (importedLine(item, path: path, outcome: .updated), replacedKey)
    }

    private static func importedLine(_ item: CommunityItem, path: String, outcome: ContentImportReport.Outcome)
        -> ContentImportReport.Imported
    {
        .init(path: path, outcome: outcome, itemID: item.id, kind: item.kind, title: item.title, revision: item.revision)
    }

    /// The member a file names as its author: they must be an active member of the community, since what
    /// they wrote goes out under their name there. Without an author, the manager importing is the author.
    private static func importAuthor(_ handle: String?, importer: Member?, in community: Community, repos: any Repositories)
        async throws -> Member
    {
        let author: Member
        if let handle {
            guard let found = try await repos.members.find(handle: handle) else {
                throw DomainError.invalid("The author @\(handle) is not a member of this server.")
            }
            author = found
        } else if let importer {
            author = importer
        } else {
            throw DomainError.invalid("The front matter has no author (the handle of a member of the community).")
        }
        guard !author.isSuspended else { throw DomainError.invalid("The author @\(author.handle) is suspended.") }
        guard try await repos.communities.membership(of: author.id, in: community.id)?.isActive == true else {
            throw DomainError.invalid("The author @\(author.handle) is not a member of the community.")
        }
        return author
    }

    // MARK: - Paths and dates

    /// A path inside the folder with `/` separators and no `.` parts; nil when it would leave the folder.
    static func importPath(_ raw: String) -> String? {
        var parts: [Substring] = []
        for part in raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }) where part != "." {
            guard part != ".." else { return nil }
            parts.append(part)
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    /// The folder part of a path, with its trailing `/`; empty at the top of the folder.
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    static func isMarkdown(_ path: String) -> Bool {
        ["md", "markdown"].contains(ResourceRules.fileExtension(path) ?? "")
    }

    /// An ISO 8601 date (midnight UTC) or date and time; a time without a zone is UTC.
    static func importDate(_ raw: String) -> Date? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let withZone = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
            withZone.formatOptions = options
            if let date = withZone.date(from: text) { return date }
        }
        let local = DateFormatter()
        local.locale = Locale(identifier: "en_US_POSIX")
        local.timeZone = TimeZone(identifier: "UTC")
        for format in ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm"] {
            local.dateFormat = format
            if let date = local.date(from: text), local.string(from: date) == text { return date }
        }
        return nil
    }
}
