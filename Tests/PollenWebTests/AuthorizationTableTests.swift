import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PollenCore
@testable import PollenWeb
import Testing

/// Who may do what, over every route of the web application: one row per request (method and a path with real
/// ids), with the status each of six roles gets. Rows run in one world built once through the use cases; a second
/// test fails when a route is registered without a row (or a row names no route).
///
/// The roles (one member each, signed in through the sign-in page and holding an API token with every scope):
/// - `anon`: nobody signed in (a browser with only the signed-out CSRF cookie; no bearer token).
/// - `member` (@max): an organization member who is an ordinary member of both communities.
/// - `nonMember` (@nora): an organization member in no community: outside the private community.
/// - `manager` (@mia): manages the private community `vault` and the open community `commons`.
/// - `moderator` (@mona): the organization's moderator, in no community.
/// - `admin` (@ada): an administrator, in no community.
/// Content that is not the role's own is written by @otto (and answers by @pat), members of both communities.
///
/// Signed out, what needs a member answers: a page, `303` to `/signin?next=…`; a form's post (sent with the
/// signed-out CSRF token, as a browser would), a `401` page; the API, `401` JSON. (A post without the token is
/// refused with `403` before anything else; CSRFTests covers that.) Where a role should get another status than it
/// does, the row says so with `bug:` (see ``Row/bug``).
@Suite struct AuthorizationTableTests {
    // MARK: - Roles and expectations

    enum Role: String, CaseIterable, Sendable, CustomStringConvertible {
        case anon, member, nonMember, manager, moderator, admin
        var description: String { rawValue }
    }

    /// What one role gets.
    enum Expect: Equatable, CustomStringConvertible, ExpressibleByIntegerLiteral {
        case code(Int)
        /// The sign-in page: `303 See Other` to `/signin?next=…`.
        case signIn

        init(integerLiteral value: Int) { self = .code(value) }

        func matches(_ status: Int, location: String?) -> Bool {
            let toSignIn = status == 303 && (location?.hasPrefix("/signin") ?? false)
            switch self {
            case .signIn: return toSignIn
            // A redirect that is not the sign-in page: a signed-in role sent to sign in lost its session.
            case .code(let code): return status == code && (code != 303 || !toSignIn)
            }
        }

        var description: String {
            switch self {
            case .code(let code): "\(code)"
            case .signIn: "303→/signin"
            }
        }
    }

    /// A request body. Web forms get the CSRF token of the role's session added; API bodies go as sent.
    enum Body {
        case none
        case form([(String, String)])
        case multipart([(String, String)], files: [(field: String, name: String, bytes: [UInt8])])
        case raw(contentType: String, String)
    }

    /// Rows run in phases: `late` rows change what later rows would see (leaving a community, clearing
    /// notifications) and run after every `normal` row, in table order.
    enum Phase { case normal, late }

    /// How the role's requests are sent: over its usual session, a copy of it whose cookie changes are dropped
    /// (signing in or up again), or a session signed in for this one request (signing out).
    enum Session { case usual, isolated, fresh }

    struct Row {
        let method: HTTPRequest.Method
        let path: (Role) -> String
        let body: (Role) -> Body
        let expected: [Role: Expect]
        var phase: Phase = .normal
        var session: Session = .usual
        let note: String?
        /// A known authorization bug: the expectations say what should happen; until it does, the mismatch is
        /// recorded as a known issue, and once every role gets what it should, the row fails until this is removed.
        var bug: String? = nil
        let location: SourceLocation
    }

    // MARK: - The world

    /// Ids a role acts on by itself, so that one role's success changes nothing another role's request depends on.
    struct Own {
        /// The role's own things (for `anon`, @otto's).
        var post = "1", postToDelete = "1", postToDeleteAPI = "1", collection = "1", question = "1"
        var removedCase = "1", removedCaseAPI = "1"
        var notification = "1", notificationToDismiss = "1"
        /// Other people's things, one copy per role.
        var ottoPostWeb = "1", ottoPostAPI = "1", ottoCollectionWeb = "1", ottoCollectionAPI = "1"
        var vaultThreadWeb = "1", vaultThreadAPI = "1", vaultCommentWeb = "1", vaultCommentAPI = "1"
        var orgCaseWeb = "1", orgCaseAPI = "1", vaultCaseWeb = "1", vaultCaseAPI = "1"
        var wordWeb = "1", wordAPI = "1", reportPost = "1"
        var roleVictimWeb = "1", roleVictimAPI = "1", suspendVictimWeb = "1", suspendVictimAPI = "1"
        var unsuspendVictimWeb = "1", unsuspendVictimAPI = "1"
        var inviteeWeb = "invitee", inviteeAPI = "invitee", revocableToken = "token"
        /// Value stories and a useful mark of the role's own (for `anon`, @otto's).
        var story = "1", storyToDelete = "1", mark = "1"
    }

    /// Everything the rows point at. A world of placeholders (every id "1") names the same routes, for the
    /// coverage test.
    struct World {
        let vault = "vault", commons = "commons"
        var otto = "1", tess = "1", suspended = "suspended", suspendedID = "1"
        var vaultThread = "1", vaultArticle = "1", vaultWiki = "1", vaultResource = "1"
        var vaultPinThread = "1", vaultDraft = "1", commonsThread = "1", commonsHidden = "1", commonsQuestion = "1"
        var removedPost = "1", suspendedPost = "1", nina = "nina"
        var orgPost = "1", flagPostWeb = "1", flagPostAPI = "1", mentionedPost = "1"
        var orgQuestion = "1", orgAnswer = "1", vaultQuestion = "1", vaultAnswer = "1"
        var collection = "1", orgCase = "1", vaultCase = "1", ottoNotification = "1", ottoSession = "1", passwordless = "1"
        var clientID = "client", clientSecret = "secret", settingsName = "Pollen"
        /// @otto's value stories (for the organization, and in the private community) and his useful mark.
        var orgStory = "1", vaultStory = "1", ottoMark = "1"
        var moderationSettings = ModerationSettings()
        var own: [Role: Own] = Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0, Own()) })
        func of(_ role: Role) -> Own { own[role] ?? Own() }
    }
}

// MARK: - Requests

extension AuthorizationTableTests {
    struct Reply {
        let status: Int
        let location: String?
        let body: String
    }

    /// One role's client: the cookies of its browser session (or its signed-out CSRF cookie) and its bearer token.
    final class Agent: @unchecked Sendable {
        let client: any TestClientProtocol
        var cookies: [String: String] = [:]
        var csrf = ""
        var token: String?

        init(_ client: any TestClientProtocol) { self.client = client }

        func copy() -> Agent {
            let other = Agent(client)
            other.cookies = cookies
            other.csrf = csrf
            other.token = token
            return other
        }

        static func isAPI(_ path: String) -> Bool {
            let bare = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
            return bare.hasPrefix("/api/") || bare == "/oauth/token" || bare == "/oauth/revoke"
                || bare.hasPrefix("/.well-known/") || bare == "/healthz"
        }

        func send(_ method: HTTPRequest.Method, _ path: String, _ body: Body = .none) async throws -> Reply {
            var headers: HTTPFields = [:]
            let api = Self.isAPI(path)
            if api {
                headers[.accept] = "application/json"
                if let token { headers[.authorization] = "Bearer \(token)" }
            } else if !cookies.isEmpty {
                headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            }
            var buffer: ByteBuffer?
            let csrfField: [(String, String)] = api ? [] : [("_csrf", csrf)]
            switch body {
            case .none:
                if !api && method != .get && method != .head {
                    headers[.contentType] = "application/x-www-form-urlencoded"
                    buffer = ByteBuffer(string: Self.encode(csrfField))
                }
            case .form(let fields):
                headers[.contentType] = "application/x-www-form-urlencoded"
                buffer = ByteBuffer(string: Self.encode(csrfField + fields))
            case .multipart(let fields, let files):
                let boundary = "----authorization-table-\(UUID().uuidString)"
                headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
                var bytes = ByteBuffer()
                for (name, value) in csrfField + fields {
                    bytes.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
                }
                for file in files {
                    bytes.writeString(
                        "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\n"
                            + "Content-Type: application/octet-stream\r\n\r\n")
                    bytes.writeBytes(file.bytes)
                    bytes.writeString("\r\n")
                }
                bytes.writeString("--\(boundary)--\r\n")
                buffer = bytes
            case .raw(let type, let text):
                headers[.contentType] = type
                buffer = ByteBuffer(string: text)
            }
            let reply = try await client.execute(uri: path, method: method, headers: headers, body: buffer) { response in
                (response.status.code, response.headers, String(buffer: response.body))
            }
            if !api {
                for value in reply.1[values: .setCookie] {
                    let pair = value.split(separator: ";").first ?? ""
                    let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    guard parts.count == 2 else { continue }
                    let name = String(parts[0]).trimmingCharacters(in: .whitespaces)
                    if parts[1].isEmpty || value.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = String(parts[1]) }
                }
                if let token = TestBrowser.csrfToken(in: reply.2) { csrf = token }
            }
            return Reply(status: reply.0, location: reply.1[.location], body: reply.2)
        }

        static func encode(_ fields: [(String, String)]) -> String {
            fields.map { "\(TestBrowser.encode($0.0))=\(TestBrowser.encode($0.1))" }.joined(separator: "&")
        }

        /// Signs in through the sign-in page and opens the home page, whose forms carry the session's CSRF token.
        func signIn(_ handle: String) async throws {
            _ = try await send(.get, "/signin")
            let signedIn = try await send(.post, "/signin", .form([("login", handle), ("password", "correct-horse-1")]))
            guard signedIn.status == 302 else { throw SetupError(message: "@\(handle) could not sign in: \(signedIn.status)") }
            _ = try await send(.get, "/")
        }

        /// A signed-out browser: the sign-in page gives it the CSRF cookie its forms echo.
        static func anonymous(_ client: any TestClientProtocol) async throws -> Agent {
            let agent = Agent(client)
            _ = try await agent.send(.get, "/signin")
            return agent
        }
    }

    struct SetupError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

// MARK: - Building the world

extension AuthorizationTableTests {
    /// A word only the private community's content contains.
    static let secret = "Qsecret7"

    static let handles: [Role: String] = [
        .member: "max", .nonMember: "nora", .manager: "mia", .moderator: "mona", .admin: "ada",
    ]

    /// The world, built through the use cases; then each role signs in and gets a token.
    static func build(_ harness: WebHarness, _ client: any TestClientProtocol) async throws -> (World, [Role: Agent]) {
        let pollen = harness.pollen
        var w = World()
        func add(_ handle: String, role: Member.Role = .member, password: Bool = true, privacy: NetworkPrivacy? = nil)
            async throws -> Member
        {
            let member = try await pollen.addMember(
                AddMemberCommand(
                    handle: handle, email: "\(handle)@example.org", displayName: handle.capitalized,
                    password: password ? "correct-horse-1" : nil, role: role,
                    profile: Profile(displayName: handle.capitalized, department: "Logistics", subjects: ["learning"])),
                by: .system)
            if let privacy { return try await pollen.updateNetworkPrivacy(privacy, of: member.id, by: .system) }
            return member
        }
        // Everyone here is new: the new-member limits would refuse the table's writes before authorization did.
        var settings = ModerationSettings()
        settings.newMemberHours = 0
        try await pollen.updateModerationSettings(settings, by: .system)
        w.moderationSettings = settings
        w.settingsName = try await pollen.settings().name

        let ada = try await add("ada", role: .admin)
        let mona = try await add("mona", role: .moderator)
        let mia = try await add("mia")
        let max = try await add("max")
        let nora = try await add("nora")
        let otto = try await add("otto")
        let pat = try await add("pat")
        let tess = try await add("tess")
        _ = try await add("sam")
        // @nina shows her network to nobody: not to moderators or administrators either.
        _ = try await add("nina", privacy: NetworkPrivacy(audience: .onlyMe))
        let suspended = try await add("sid")
        w.suspendedPost = try await pollen.publishPost(PostDraft(body: "Written before a suspension"), by: .member(suspended))
            .id.description
        _ = try await pollen.setSuspended(true, memberID: suspended.id, by: .member(ada))
        let people: [Role: Member] = [.member: max, .nonMember: nora, .manager: mia, .moderator: mona, .admin: ada]
        w.otto = otto.id.description
        w.tess = tess.id.description
        w.passwordless = try await add("newcomer", password: false).id.description
        w.suspended = suspended.handle
        w.suspendedID = suspended.id.description

        // The communities: `vault` is private (@mia manages it; @max, @otto and @pat are in it), `commons` open.
        _ = try await pollen.createCommunity(
            CommunityDraft(
                slug: w.vault, name: "The Vault \(secret)", kind: .interest, purpose: "Confidential plans.", membership: .private),
            by: .member(mia))
        _ = try await pollen.createCommunity(
            CommunityDraft(slug: w.commons, name: "The Commons", kind: .interest, purpose: "Open to all."), by: .member(mia))
        for person in [max, otto, pat] {
            try await pollen.decide(.invite, about: person.id, in: w.vault, by: .member(mia))
            try await pollen.joinCommunity(slug: w.vault, by: .member(person))
            try await pollen.joinCommunity(slug: w.commons, by: .member(person))
        }

        // Everything in the private community carries `secret` and the tag `zebra`, for the leak probes.
        func item(
            _ kind: CommunityItem.Kind, _ title: String, in slug: String = "vault", file: UploadedFile? = nil, publish: Bool = true
        ) async throws -> CommunityItem {
            let marker = slug == w.vault ? " \(secret)" : ""
            return try await pollen.createItem(
                ItemDraft(
                    kind: kind, title: title + marker, body: "Text of \(title), about zebras.", tags: slug == w.vault ? ["zebra"] : [],
                    publish: publish, file: file),
                in: slug, by: .member(otto))
        }
        w.vaultThread = try await item(.thread, "Vault thread").id.description
        w.vaultArticle = try await item(.article, "Vault article").id.description
        w.vaultPinThread = try await item(.thread, "Vault thread to pin and close").id.description
        w.vaultDraft = try await item(.article, "Vault draft", publish: false).id.description
        let wiki = try await item(.wiki, "Vault wiki")
        _ = try await pollen.editItem(
            wiki.id, ItemDraft(kind: .wiki, title: "Vault wiki", body: "Second text."), basedOn: nil, by: .member(otto))
        w.vaultWiki = wiki.id.description
        w.vaultResource = try await item(
            .resource, "Vault resource", file: UploadedFile(name: "plan.pdf", data: Array("%PDF-1.4 plan".utf8))).id.description
        w.commonsThread = try await item(.thread, "Commons thread", in: w.commons).id.description
        // Hidden by a moderator: "only you and moderators can see it", the item's page says to its author.
        let hidden = try await item(.thread, "Commons thread hidden by a moderator", in: w.commons)
        w.commonsHidden = hidden.id.description
        try await pollen.moderate(
            try await pollen.flag(ContentRef(.item, hidden.id.rawValue), reason: .spam, by: .member(max)).caseID,
            ModerationDecision(action: .hide, reason: "Spam."), by: .member(mona))

        func post(_ text: String, by author: Member = otto, visibility: Post.Visibility = .organization) async throws -> String {
            try await pollen.publishPost(PostDraft(body: text, visibility: visibility), by: .member(author)).id.description
        }
        w.orgPost = try await post("Otto's post for everyone")
        w.flagPostWeb = try await post("A post to flag from the page")
        w.flagPostAPI = try await post("A post to flag through the API")
        w.mentionedPost = try await post("A note to self", visibility: .mentioned)
        w.removedPost = try await post("A post a moderator removed")
        try await pollen.moderate(
            try await pollen.flag(ContentRef(.post, Int64(w.removedPost)!), reason: .spam, by: .member(nora)).caseID,
            ModerationDecision(action: .remove, reason: "Spam."), by: .member(mona))

        let orgQuestion = try await pollen.askQuestion(QuestionDraft(title: "How do we learn?"), by: .member(otto))
        w.orgQuestion = orgQuestion.id.description
        w.orgAnswer = try await pollen.answerQuestion(orgQuestion.id, body: "By doing.", by: .member(pat)).id.description
        let vaultQuestion = try await pollen.askQuestion(
            QuestionDraft(title: "What is in the vault? \(secret)", body: "Zebras?", tags: ["zebra"], community: w.vault),
            by: .member(otto))
        w.vaultQuestion = vaultQuestion.id.description
        w.vaultAnswer = try await pollen.answerQuestion(vaultQuestion.id, body: "Plans.", by: .member(pat)).id.description
        w.commonsQuestion = try await pollen.askQuestion(
            QuestionDraft(title: "Who tends the commons?", community: w.commons), by: .member(otto)).id.description
        w.collection = try await pollen.createCollection(
            CollectionDraft(title: "Otto's people", handles: ["tess"]), by: .member(otto)).id.description
        func story(_ title: String, in slug: String? = nil, by author: Member = otto) async throws -> String {
            try await pollen.recordValueStory(
                ValueStoryDraft(title: title, community: slug, steps: [ValueStepDraft(cycle: .applied, narrative: "It helped.")]),
                by: .member(author)).id.description
        }
        w.orgStory = try await story("Otto's story")
        w.vaultStory = try await story("Otto's vault story \(secret)", in: w.vault)
        func mark(_ target: ContentRef, by member: Member) async throws -> String {
            try await pollen.setUseful(true, target, by: .member(member))
            return try #require(try await pollen.usefulThings(viewer: .member(member)).first { $0.mark.target == target }).mark.id.description
        }
        w.ottoMark = try await mark(ContentRef(.answer, Int64(w.orgAnswer)!), by: otto)

        // Open cases: @otto's post flagged by @nora, and @otto's vault article by @max.
        func flag(_ target: ContentRef, by flagger: Member) async throws -> String {
            try await pollen.flag(target, reason: .spam, by: .member(flagger)).caseID.description
        }
        w.orgCase = try await flag(ContentRef(.post, Int64(w.orgPost)!), by: nora)
        w.vaultCase = try await flag(ContentRef(.item, Int64(w.vaultArticle)!), by: max)
        // @pat's answer told @otto: a notification that is nobody else's.
        w.ottoNotification = try #require(
            try await pollen.notifications(by: .member(otto), range: CursorRange(limit: 1)).first).notification.id.description

        let app = try await client.registerApp(name: "Authorization table", scopes: "read write admin:read admin:write")
        w.clientID = app.clientID
        w.clientSecret = app.clientSecret

        var serial = 0
        func unique(_ prefix: String) -> String {
            serial += 1
            return "\(prefix)\(serial)"
        }
        for role in Role.allCases {
            var own = Own()
            let me = people[role] ?? otto
            own.post = try await post("\(role)'s own post", by: me)
            own.postToDelete = try await post("\(role)'s post to delete", by: me)
            own.postToDeleteAPI = try await post("\(role)'s post to delete through the API", by: me)
            own.collection = try await pollen.createCollection(
                CollectionDraft(title: "\(role)'s people", handles: ["tess"]), by: .member(me)).id.description
            own.question = try await pollen.askQuestion(QuestionDraft(title: "\(role) asks a question?"), by: .member(me))
                .id.description
            // The role's own post, removed by a moderator: a closed case its author may appeal.
            for keyPath in [\Own.removedCase, \Own.removedCaseAPI] {
                let removed = try await post("\(role)'s post to be removed", by: me)
                let flagger = me.id == otto.id ? nora : otto
                let caseID = try await pollen.flag(ContentRef(.post, Int64(removed)!), reason: .spam, by: .member(flagger)).caseID
                try await pollen.moderate(
                    caseID, ModerationDecision(action: .remove, reason: "Off topic."), by: .member(me.id == ada.id ? mona : ada))
                own[keyPath: keyPath] = caseID.description
            }
            own.ottoPostWeb = try await post("Otto's post for \(role) to delete")
            own.ottoPostAPI = try await post("Otto's post for \(role) to delete through the API")
            own.reportPost = try await post("Otto's post for \(role) to report")
            own.ottoCollectionWeb = try await pollen.createCollection(
                CollectionDraft(title: "Otto's list for \(role)", handles: ["tess"]), by: .member(otto)).id.description
            own.ottoCollectionAPI = try await pollen.createCollection(
                CollectionDraft(title: "Otto's API list for \(role)", handles: ["tess"]), by: .member(otto)).id.description
            own.vaultThreadWeb = try await item(.thread, "Vault thread for \(role) to delete").id.description
            own.vaultThreadAPI = try await item(.thread, "Vault thread for \(role) to delete through the API").id.description
            own.vaultCommentWeb = try await pollen.comment(
                on: CommunityItem.ID(Int64(w.vaultThread)!), body: "Comment for \(role) to delete.", by: .member(otto)).id.description
            own.vaultCommentAPI = try await pollen.comment(
                on: CommunityItem.ID(Int64(w.vaultThread)!), body: "API comment for \(role) to delete.", by: .member(otto))
                .id.description
            own.orgCaseWeb = try await flag(ContentRef(.post, Int64(try await post("Case for \(role) on the page"))!), by: nora)
            own.orgCaseAPI = try await flag(ContentRef(.post, Int64(try await post("Case for \(role) in the API"))!), by: nora)
            own.vaultCaseWeb = try await flag(ContentRef(.item, Int64(try await item(.thread, "Case for \(role)").id.description)!), by: max)
            own.vaultCaseAPI = try await flag(
                ContentRef(.item, Int64(try await item(.thread, "API case for \(role)").id.description)!), by: max)
            own.wordWeb = try await pollen.addWatchedWord(unique("webword"), action: .flag, by: .member(mona)).id.description
            own.wordAPI = try await pollen.addWatchedWord(unique("apiword"), action: .flag, by: .member(mona)).id.description
            own.roleVictimWeb = try await add(unique("rolevictim"), password: false).id.description
            own.roleVictimAPI = try await add(unique("rolevictim"), password: false).id.description
            own.suspendVictimWeb = try await add(unique("suspendvictim"), password: false).id.description
            own.suspendVictimAPI = try await add(unique("suspendvictim"), password: false).id.description
            for keyPath in [\Own.unsuspendVictimWeb, \Own.unsuspendVictimAPI] {
                let victim = try await add(unique("suspended"), password: false)
                _ = try await pollen.setSuspended(true, memberID: victim.id, by: .member(ada))
                own[keyPath: keyPath] = victim.id.description
            }
            own.inviteeWeb = try await add(unique("invitee"), password: false).handle
            own.story = try await story("\(role)'s story", by: me)
            own.storyToDelete = try await story("\(role)'s story to delete", by: me)
            own.mark = me.id == otto.id ? w.ottoMark : try await mark(ContentRef(.post, Int64(w.orgPost)!), by: me)
            own.inviteeAPI = try await add(unique("invitee"), password: false).handle
            if role != .anon {
                // Two notifications of the role's own: @otto follows them, and mentions them.
                _ = try await pollen.followMember(me.id, by: .member(otto))
                _ = try await post("Hello @\(me.handle)")
                let mine = try await pollen.notifications(by: .member(me), range: CursorRange(limit: 10))
                own.notification = try #require(mine.first).notification.id.description
                own.notificationToDismiss = try #require(mine.dropFirst().first).notification.id.description
            } else {
                own.notification = w.ottoNotification
                own.notificationToDismiss = w.ottoNotification
            }
            w.own[role] = own
        }

        // Sessions and tokens: a browser signed in through the page, and a password-grant token with every scope.
        var agents: [Role: Agent] = [.anon: try await Agent.anonymous(client)]
        for (role, handle) in handles {
            let agent = Agent(client)
            try await agent.signIn(handle)
            agent.token = try await client.passwordToken(app, login: handle, scope: "read write admin:read admin:write")
            agents[role] = agent
        }
        // @otto signs in too: a session that is nobody else's to sign out.
        try await Agent(client).signIn("otto")
        w.ottoSession = try #require(try await pollen.sessions(of: .member(otto)).first).id.description
        for role in Role.allCases {
            var own = w.of(role)
            own.revocableToken = try await client.passwordToken(app, login: "otto", scope: "read")
            w.own[role] = own
        }
        // The insight figures exist from the start, so rows that read them do not race a run the table starts.
        _ = try await pollen.performAnalytics(try await pollen.requestAnalyticsRun(by: .system))
        return (w, agents)
    }
}

// MARK: - The table

extension AuthorizationTableTests {
    /// Collects rows. Expectations are listed in the order of ``Role/allCases``:
    /// `[anon, member, nonMember, manager, moderator, admin]`.
    final class Table {
        var rows: [Row] = []

        func add(
            _ method: HTTPRequest.Method, _ path: @escaping (Role) -> String, _ body: @escaping (Role) -> Body,
            _ expected: [Expect], phase: Phase, session: Session, note: String?, bug: String?, location: SourceLocation
        ) {
            precondition(expected.count == Role.allCases.count, "a row needs one expectation per role")
            rows.append(Row(
                method: method, path: path, body: body,
                expected: Dictionary(uniqueKeysWithValues: zip(Role.allCases, expected)), phase: phase, session: session,
                note: note, bug: bug, location: location))
        }

        /// A row whose path is the same for every role.
        func callAsFunction(
            _ method: HTTPRequest.Method, _ path: String, _ body: Body, _ expected: [Expect], phase: Phase = .normal,
            session: Session = .usual, note: String? = nil, bug: String? = nil, location: SourceLocation = #_sourceLocation
        ) {
            add(method, { _ in path }, { _ in body }, expected, phase: phase, session: session, note: note, bug: bug, location: location)
        }

        func callAsFunction(
            _ method: HTTPRequest.Method, _ path: String, _ expected: [Expect], phase: Phase = .normal,
            session: Session = .usual, note: String? = nil, bug: String? = nil, location: SourceLocation = #_sourceLocation
        ) {
            add(method, { _ in path }, { _ in .none }, expected, phase: phase, session: session, note: note, bug: bug, location: location)
        }

        /// A row whose path (and body) name something of the role's own.
        func each(
            _ method: HTTPRequest.Method, _ path: @escaping (Role) -> String, _ body: @escaping (Role) -> Body,
            _ expected: [Expect], phase: Phase = .normal, session: Session = .usual, note: String? = nil, bug: String? = nil,
            location: SourceLocation = #_sourceLocation
        ) {
            add(method, path, body, expected, phase: phase, session: session, note: note, bug: bug, location: location)
        }

        func each(
            _ method: HTTPRequest.Method, _ path: @escaping (Role) -> String, _ expected: [Expect], phase: Phase = .normal,
            session: Session = .usual, note: String? = nil, bug: String? = nil, location: SourceLocation = #_sourceLocation
        ) {
            add(method, path, { _ in .none }, expected, phase: phase, session: session, note: note, bug: bug, location: location)
        }
    }

    static let S = Expect.signIn

    /// What a signed-out visitor gets where signing in is needed: the sign-in page for a page, 401 for a form's
    /// post and for the API.
    static func anonymous(_ method: HTTPRequest.Method, _ path: String) -> Expect {
        Agent.isAPI(path) || method != .get ? 401 : .signIn
    }

    /// Every signed-in role alike.
    static func signedIn(_ method: HTTPRequest.Method, _ path: String, _ ok: Expect = 200) -> [Expect] {
        [anonymous(method, path), ok, ok, ok, ok, ok]
    }

    /// Administrators only.
    static func adminOnly(_ method: HTTPRequest.Method, _ path: String, _ ok: Expect = 200) -> [Expect] {
        [anonymous(method, path), 403, 403, 403, 403, ok]
    }

    /// The organization's moderators (administrators are moderators too).
    static func moderators(_ method: HTTPRequest.Method, _ path: String, _ ok: Expect = 200) -> [Expect] {
        [anonymous(method, path), 403, 403, 403, ok, ok]
    }

    /// Whoever may read the private community: its members and administrators; to the others it does not exist.
    static func vaultReaders(_ method: HTTPRequest.Method, _ path: String, _ ok: Expect = 200) -> [Expect] {
        [anonymous(method, path), ok, 404, ok, 404, ok]
    }

    /// Its managers and administrators; its members are refused, the others do not see it.
    static func vaultManagers(_ method: HTTPRequest.Method, _ path: String, _ ok: Expect = 200) -> [Expect] {
        [anonymous(method, path), 403, 404, ok, 404, ok]
    }

    /// Its active members: administrators read it but do not write in it.
    static func vaultContributors(_ method: HTTPRequest.Method, _ path: String, _ ok: Expect = 200) -> [Expect] {
        [anonymous(method, path), ok, 404, ok, 404, 403]
    }

    static func form(_ fields: (String, String)...) -> Body { .form(fields) }

    static func table(_ w: World) -> [Row] {
        let t = Table()
        let api = "/api/pollen/v1"
        let o = { (role: Role) in w.of(role) }
        let vault = "/c/\(w.vault)", commons = "/c/\(w.commons)"
        let authorizeFields: [(String, String)] = [
            ("client_id", w.clientID), ("redirect_uri", outOfBandRedirect), ("response_type", "code"), ("scope", "read"),
        ]
        let authorizeQuery = authorizeFields.map { "\($0.0)=\(TestBrowser.encode($0.1))" }.joined(separator: "&")
        let markdown = { (role: Role) in Array("---\ntype: article\ntitle: Imported by \(role)\n---\nImported text.\n".utf8) }
        let moderationFields = ModerationPages.settingFields().map { ($0.key, String(w.moderationSettings[keyPath: $0.path])) }

        // MARK: Outside the session: health check, static files, the OAuth server's metadata
        t(.get, "/healthz", [200, 200, 200, 200, 200, 200])
        t(.get, "/static/pollen.css", [200, 200, 200, 200, 200, 200])
        t(.get, "/.well-known/oauth-authorization-server", [200, 200, 200, 200, 200, 200])

        // MARK: Account pages
        t(.get, "/", [200, 200, 200, 200, 200, 200], note: "signed out, the server's welcome page")
        t(.get, "/setup", [S, S, S, S, S, S], note: "set up already: to the sign-in page")
        t(.post, "/setup", form(("handle", "late_owner")), [S, S, S, S, S, S], note: "set up already: nothing is made")
        t(.get, "/signup", [200, 303, 303, 303, 303, 303], note: "signed in: to the home page")
        t.each(.post, { _ in "/signup" }, { role in
            .form([("handle", "signup_\(role)"), ("email", "signup_\(role)@example.org"), ("display_name", "New \(role)"),
                   ("password", "correct-horse-1")])
        }, [302, 302, 302, 302, 302, 302], session: .isolated, note: "sign-up is open to whoever reaches the form")
        t(.get, "/signin", [200, 200, 200, 200, 200, 200])
        t(.post, "/signin", form(("login", "sam"), ("password", "correct-horse-1")), [302, 302, 302, 302, 302, 302], session: .isolated)
        t(.post, "/signout", [302, 302, 302, 302, 302, 302], session: .fresh)
        t(.get, "/settings/password", signedIn(.get, "/settings/password"))
        t(.post, "/settings/password",
          form(("current_password", "not-my-password"), ("new_password", "another-horse-2"), ("confirm_password", "another-horse-2")),
          signedIn(.post, "/settings/password", 422), note: "a wrong current password: the form again")
        t(.get, "/settings/sessions", signedIn(.get, "/settings/sessions"))
        t(.get, "/settings/apps", signedIn(.get, "/settings/apps"))
        t(.post, "/settings/apps/1/revoke", signedIn(.post, "/settings/apps/1/revoke", 404), note: "an app the role never authorized")
        t(.post, "/settings/sessions/revoke", signedIn(.post, "/settings/sessions/revoke", 302), note: "every other browser of one's own")
        t(.post, "/settings/sessions/revoke", form(("id", w.ottoSession)), signedIn(.post, "/settings/sessions/revoke", 404),
          note: "someone else's session does not exist for anyone")

        // MARK: Profiles and the directory
        t(.get, "/@otto", signedIn(.get, "/"))
        t(.get, "/@\(w.suspended)", [S, 404, 404, 404, 200, 200], note: "a suspended member exists for moderators only")
        t(.get, "/settings/profile", signedIn(.get, "/settings/profile"))
        t.each(.post, { _ in "/settings/profile" }, { role in
            .form([("display_name", (handles[role] ?? "otto").capitalized), ("department", "Logistics"), ("subjects", "learning")])
        }, signedIn(.post, "/settings/profile", 302))
        t(.get, "/admin/members/\(w.otto)/profile", [S, 403, 403, 403, 403, 200])
        t(.post, "/admin/members/\(w.otto)/profile",
          form(("display_name", "Otto"), ("department", "Logistics"), ("subjects", "learning")), adminOnly(.post, "/", 302))
        t(.get, "/members", signedIn(.get, "/members"))

        // MARK: Following people and hashtags (pages)
        for action in ["follow", "unfollow", "mute", "unmute", "block", "unblock"] {
            t(.post, "/@tess/\(action)", signedIn(.post, "/", 302))
        }
        t(.post, "/@\(w.suspended)/follow", signedIn(.post, "/", 404), note: "suspended: nobody follows them, moderators neither")
        t(.get, "/@otto/followers", signedIn(.get, "/"))
        t(.get, "/@otto/following", signedIn(.get, "/"))
        t(.get, "/@\(w.suspended)/followers", [S, 404, 404, 404, 200, 200])
        t(.get, "/tags/learning", signedIn(.get, "/"))
        t(.get, "/settings/follows", signedIn(.get, "/"))
        t(.get, "/settings/follows/following.csv", signedIn(.get, "/"))
        t(.get, "/settings/follows/hashtags.csv", signedIn(.get, "/"))
        t(.post, "/settings/follows/import",
          .multipart([], files: [("file", "following.csv", Array("Account address,Show boosts\ntess,true\n".utf8))]),
          signedIn(.post, "/", 200))
        t(.post, "/settings/follows/import-hashtags",
          .multipart([], files: [("file", "hashtags.csv", Array("learning\n".utf8))]), signedIn(.post, "/", 200))
        t(.post, "/tags/learning/follow", signedIn(.post, "/", 302))
        t(.post, "/tags/learning/unfollow", signedIn(.post, "/", 302))

        // MARK: Posts (pages)
        t(.get, "/local", signedIn(.get, "/"))
        t(.get, "/bookmarks", signedIn(.get, "/"))
        t(.post, "/posts", form(("status", "Posted from the table")), signedIn(.post, "/", 302))
        t(.get, "/posts/\(w.orgPost)", signedIn(.get, "/"))
        t(.get, "/posts/\(w.mentionedPost)", signedIn(.get, "/", 404), note: "a post for the people it mentions: nobody else, admins neither")
        t(.get, "/posts/\(w.removedPost)", [S, 404, 404, 404, 200, 200], note: "removed by a moderator: its author and moderators")
        t(.get, "/posts/\(w.suspendedPost)", signedIn(.get, "/"),
          note: "suspension hides the profile and the author's timeline, not the posts (see the report)")
        t.each(.get, { "/posts/\(o($0).post)/edit" }, signedIn(.get, "/"), note: "one's own post")
        t(.get, "/posts/\(w.orgPost)/edit", signedIn(.get, "/", 403), note: "only the author edits")
        t.each(.get, { "/posts/\(o($0).post)/delete" }, signedIn(.get, "/"))
        t(.get, "/posts/\(w.orgPost)/delete", [S, 403, 403, 403, 200, 200], note: "moderators remove anyone's post")
        t.each(.post, { "/posts/\(o($0).post)/edit" }, { _ in form(("status", "Edited by its author")) }, signedIn(.post, "/", 302))
        t(.post, "/posts/\(w.orgPost)/edit", form(("status", "Edited by someone else")), signedIn(.post, "/", 403))
        for action in ["favourite", "unfavourite", "bookmark", "unbookmark", "reshare", "unreshare"] {
            t(.post, "/posts/\(w.orgPost)/\(action)", signedIn(.post, "/", 302))
        }
        t(.post, "/posts/\(w.mentionedPost)/favourite", signedIn(.post, "/", 404))
        t.each(.post, { "/posts/\(o($0).postToDelete)/delete" }, signedIn(.post, "/", 302))
        t.each(.post, { "/posts/\(o($0).ottoPostWeb)/delete" }, [401, 403, 403, 403, 302, 302])

        // MARK: Discovery (pages)
        t(.get, "/discover", signedIn(.get, "/"))
        t(.post, "/suggestions/tess/dismiss", signedIn(.post, "/", 302))
        t(.post, "/network/follow", form(("ids", w.tess)), signedIn(.post, "/", 302))
        t(.post, "/network/unfollow", form(("ids", w.tess)), signedIn(.post, "/", 302))
        t(.get, "/@otto/network/following", signedIn(.get, "/"))
        t(.get, "/@otto/network/followers", signedIn(.get, "/"))
        t(.get, "/@\(w.nina)/network/following", signedIn(.get, "/", 403), note: "\"only me\": moderators get no exception")
        t(.get, "/network/review", signedIn(.get, "/"))
        t(.get, "/explore", signedIn(.get, "/"))
        t(.get, "/settings/privacy", signedIn(.get, "/"))
        // Personal insight: everyone gets their own, administrators included; no address names anyone else.
        t(.get, "/me/insight", signedIn(.get, "/"))
        t(.post, "/settings/privacy", form(("audience", "everyone"), ("discoverable", "on")), signedIn(.post, "/", 302))

        // MARK: Getting started
        t(.get, "/welcome", signedIn(.get, "/"))
        t(.post, "/welcome/subjects", form(("tags", "learning")), signedIn(.post, "/", 302))
        t(.post, "/welcome/tags", form(("tags", "learning")), signedIn(.post, "/", 302))
        t(.post, "/welcome/communities", form(("communities", w.vault)), signedIn(.post, "/", 302),
          note: "a private community is skipped for those outside it (checked after the table)")
        t(.post, "/welcome/introduce", form(("status", "Hello, I am new here.")), signedIn(.post, "/", 302))
        t(.post, "/welcome/finish", signedIn(.post, "/", 302))
        t(.post, "/welcome/skip", signedIn(.post, "/", 302))

        // MARK: Collections (pages)
        t(.get, "/collections", signedIn(.get, "/"))
        t(.get, "/collections/new", signedIn(.get, "/"))
        t(.post, "/collections", form(("title", "A new list"), ("handles", "tess")), signedIn(.post, "/", 302))
        t(.get, "/collections/\(w.collection)", signedIn(.get, "/"))
        t(.get, "/collections/\(w.collection)/edit", adminOnly(.get, "/"), note: "its owner, or an administrator")
        t.each(.get, { "/collections/\(o($0).collection)/edit" }, signedIn(.get, "/"))
        t(.post, "/collections/\(w.collection)/edit", form(("title", "Otto's people"), ("handles", "tess")), adminOnly(.post, "/", 302))
        t.each(.post, { "/collections/\(o($0).collection)/edit" }, { _ in form(("title", "My people"), ("handles", "tess")) },
               signedIn(.post, "/", 302))
        t.each(.post, { "/collections/\(o($0).ottoCollectionWeb)/delete" }, adminOnly(.post, "/", 302))
        t(.post, "/collections/\(w.collection)/follow", form(("everything", "1")), signedIn(.post, "/", 302))

        // MARK: Communities (pages)
        t(.get, "/communities", signedIn(.get, "/"))
        t(.get, "/communities/new", signedIn(.get, "/"))
        t.each(.post, { _ in "/communities" }, { role in
            .form([("slug", "web-\(role)".lowercased()), ("name", "Made by \(role)"), ("kind", "interest"), ("membership", "open")])
        }, signedIn(.post, "/", 302))
        t(.get, vault, vaultReaders(.get, "/"))
        t(.get, commons, signedIn(.get, "/"))
        t(.get, "\(vault)/edit", vaultManagers(.get, "/"))
        t(.get, "\(commons)/edit", [S, 403, 403, 200, 403, 200])
        t(.post, "\(vault)/edit",
          form(("name", "The Vault"), ("kind", "interest"), ("membership", "private"), ("purpose", "Confidential plans.")),
          vaultManagers(.post, "/", 302))
        t(.post, "\(vault)/follow", vaultReaders(.post, "/", 302), note: "members: \"only open communities can be followed\"")
        t(.post, "\(commons)/follow", signedIn(.post, "/", 302))
        t(.post, "\(vault)/unfollow", vaultReaders(.post, "/", 302))
        t(.post, "\(vault)/notifications", form(("level", "watching")), vaultReaders(.post, "/", 302),
          note: "the administrator is told to join or follow first")
        t(.get, "\(vault)/members", vaultReaders(.get, "/"))
        t.each(.post, { _ in "\(vault)/members" }, { role in form(("handle", o(role).inviteeWeb), ("action", "invite")) },
               vaultManagers(.post, "/", 302))
        t(.get, "\(vault)/items", vaultReaders(.get, "/"))
        t(.get, "\(vault)/new?type=thread", vaultContributors(.get, "/"))
        t(.get, "\(commons)/new?type=thread", [S, 200, 403, 200, 403, 403])
        t(.post, "\(vault)/items", form(("type", "thread"), ("title", "New thread"), ("body", "Text.")), vaultContributors(.post, "/", 302))
        t(.post, "\(commons)/items", form(("type", "thread"), ("title", "New thread"), ("body", "Text.")), [401, 302, 403, 302, 403, 403])
        t(.post, "\(vault)/items", form(("type", "article"), ("title", "News"), ("body", "Text."), ("announcement", "1")),
          [401, 403, 404, 302, 404, 403], note: "an announcement: the managers'")
        t(.get, "\(vault)/items/\(w.vaultThread)", vaultReaders(.get, "/"))
        t(.get, "\(commons)/items/\(w.commonsThread)", signedIn(.get, "/"))
        t(.get, "\(vault)/items/\(w.vaultDraft)", [S, 404, 404, 200, 404, 200], note: "a draft: its author and the managers")
        t(.get, "\(commons)/items/\(w.commonsHidden)", [S, 404, 404, 200, 200, 200],
          note: "hidden by a moderator: its author, the community's managers and moderators")
        t(.post, "\(vault)/items/\(w.vaultThread)/comments", form(("body", "A reply.")), vaultContributors(.post, "/", 302))
        t(.get, "\(vault)/items/\(w.vaultThread)/edit", vaultManagers(.get, "/"), note: "a discussion: its author and the managers")
        t(.get, "\(vault)/items/\(w.vaultWiki)/edit", vaultReaders(.get, "/"), note: "a wiki page: every member")
        t(.post, "\(vault)/items/\(w.vaultThread)/edit", form(("title", "Vault thread"), ("body", "Edited text.")),
          vaultManagers(.post, "/", 302))
        t(.get, "\(vault)/items/\(w.vaultWiki)/history", vaultReaders(.get, "/"))
        t(.post, "\(vault)/items/\(w.vaultWiki)/restore", form(("number", "1")), vaultReaders(.post, "/", 302))
        t(.post, "\(vault)/items/\(w.vaultThread)/restore", form(("number", "1")), vaultManagers(.post, "/", 302))
        t(.get, "\(vault)/items/\(w.vaultResource)/file", vaultReaders(.get, "/"))
        t(.post, "\(vault)/items/\(w.vaultThread)/rate", form(("stars", "4")), vaultContributors(.post, "/", 302))
        t(.post, "\(vault)/items/\(w.vaultThread)/favourite", vaultReaders(.post, "/", 302))
        t(.post, "\(vault)/items/\(w.vaultArticle)/feature", form(("note", "Worth a read.")), vaultManagers(.post, "/", 302))
        t(.post, "\(vault)/items/\(w.vaultPinThread)/pin", vaultManagers(.post, "/", 302))
        t(.post, "\(vault)/items/\(w.vaultPinThread)/close", vaultManagers(.post, "/", 302), note: "not its author: managers only")
        t(.post, "\(vault)/items/\(w.vaultArticle)/health", form(("health", "needs_review")), vaultManagers(.post, "/", 302))
        t.each(.post, { "\(vault)/items/\(o($0).vaultThreadWeb)/delete" }, vaultManagers(.post, "/", 302))
        t.each(.post, { "\(vault)/comments/\(o($0).vaultCommentWeb)/delete" }, vaultManagers(.post, "/", 302))
        t(.get, "\(vault)/import", vaultManagers(.get, "/"))
        t(.get, "\(commons)/import", [S, 403, 403, 200, 403, 200])
        t.each(.post, { _ in "\(vault)/import" }, { role in .multipart([], files: [("files", "\(role).md", markdown(role))]) },
               vaultManagers(.post, "/", 200))

        // MARK: Moderation (pages)
        t(.get, "/flag?target=post:\(w.orgPost)", signedIn(.get, "/"))
        t(.get, "/flag?target=item:\(w.vaultThread)", vaultReaders(.get, "/"))
        t(.post, "/flag", form(("target", "post:\(w.flagPostWeb)"), ("reason", "spam")), signedIn(.post, "/", 302))
        t(.post, "/flag", form(("target", "item:\(w.vaultThread)"), ("reason", "spam")), vaultReaders(.post, "/", 302))
        t(.get, "/moderation", moderators(.get, "/"))
        t(.get, "\(vault)/moderation", vaultManagers(.get, "/"))
        t(.get, "\(commons)/moderation", [S, 403, 403, 200, 200, 200], note: "an open community's queue: its managers and moderators")
        t(.post, "\(vault)/moderation/policy", form(("comment", "open")), vaultManagers(.post, "/", 302))
        t(.post, "\(commons)/moderation/policy", form(("comment", "open")), [401, 403, 403, 302, 403, 302],
          note: "the policy is its managers' (and administrators'), not moderators'")
        t(.get, "/moderation/cases/\(w.orgCase)", [S, 404, 404, 404, 200, 200], note: "a case: its author and who may decide it")
        t(.get, "/moderation/cases/\(w.vaultCase)", [S, 404, 404, 200, 404, 200])
        t.each(.get, { "/moderation/cases/\(o($0).removedCase)" }, signedIn(.get, "/"), note: "one's own removed post")
        t.each(.post, { "/moderation/cases/\(o($0).orgCaseWeb)/decide" }, { _ in form(("action", "approve")) },
               moderators(.post, "/", 302))
        t.each(.post, { "/moderation/cases/\(o($0).vaultCaseWeb)/decide" }, { _ in form(("action", "approve")) },
               [401, 403, 404, 302, 404, 302])
        t.each(.post, { "/moderation/cases/\(o($0).removedCase)/appeal" }, { _ in form(("appeal", "It was on topic.")) },
               signedIn(.post, "/", 302))
        t(.post, "/moderation/cases/\(w.orgCase)/appeal", form(("appeal", "Not mine to appeal.")), signedIn(.post, "/", 404))
        t(.get, "/moderation/words", moderators(.get, "/"))
        t.each(.post, { _ in "/moderation/words" }, { role in form(("word", "tableword\(role)"), ("action", "flag")) },
               moderators(.post, "/", 302))
        t.each(.post, { "/moderation/words/\(o($0).wordWeb)/delete" }, moderators(.post, "/", 302))
        t(.get, "/admin/moderation", adminOnly(.get, "/"))
        t(.post, "/admin/moderation", .form(moderationFields), adminOnly(.post, "/", 302))
        t(.get, "/admin/audit", adminOnly(.get, "/"))
        t(.get, "/admin/audit.csv", adminOnly(.get, "/"))

        // MARK: Insight (pages)
        t(.get, "/insight", signedIn(.get, "/"))
        t(.get, "/insight/network", adminOnly(.get, "/"), note: "administrators and the people they grant it (InsightPagesTests)")
        t(.get, "/insight/network.csv?table=units", adminOnly(.get, "/"))
        t(.post, "/insight/run", form(("next", "/insight")), [401, 302, 302, 302, 302, 302],
          note: "administrators, grantees and community managers — every role founded a community above; a plain "
              + "member's 403 is in InsightPagesTests")
        t(.get, "\(commons)/insight", signedIn(.get, "/"), note: "about the community as a whole: whoever reads it")
        t(.get, "\(vault)/insight", vaultReaders(.get, "/"))
        t(.get, "\(vault)/insight.csv?table=roles", vaultReaders(.get, "/"))
        t(.get, "\(vault)/measures", vaultManagers(.get, "/"))
        t(.post, "\(vault)/measures", form(("measure", "participation_rate")), vaultManagers(.post, "/", 302))
        t(.get, "/admin/insight", adminOnly(.get, "/"))
        t(.post, "/admin/insight", form(("refresh_hours", "24")), adminOnly(.post, "/", 302))
        t(.post, "/admin/insight/grants", form(("handle", "tess")), adminOnly(.post, "/", 302))
        t(.post, "/admin/insight/grants/\(w.tess)/delete", adminOnly(.post, "/", 302), phase: .late)

        // MARK: Value stories, useful marks and the value matrix (pages)
        let storyFields: [(String, String)] = [("title", "A story from the table"), ("narrative_applied", "It helped.")]
        t(.get, "/stories", signedIn(.get, "/"))
        t(.get, "/stories?community=\(w.vault)", vaultReaders(.get, "/"))
        t(.get, "/stories/new", signedIn(.get, "/"))
        t(.post, "/stories", .form(storyFields), signedIn(.post, "/", 302))
        t(.post, "/stories", .form(storyFields + [("community", w.vault)]), vaultContributors(.post, "/", 302),
          note: "a community's stories are its members'; the form comes back to the administrator with the reason")
        t(.get, "/stories/\(w.orgStory)", signedIn(.get, "/"))
        t(.get, "/stories/\(w.vaultStory)", vaultReaders(.get, "/"))
        t(.get, "/stories/\(w.orgStory)/edit", signedIn(.get, "/", 403), note: "only its author edits a story")
        t.each(.get, { "/stories/\(o($0).story)/edit" }, signedIn(.get, "/"))
        t(.post, "/stories/\(w.orgStory)/edit", .form(storyFields), signedIn(.post, "/", 403))
        t.each(.post, { "/stories/\(o($0).story)/edit" }, { _ in .form(storyFields) }, signedIn(.post, "/", 302))
        t(.get, "/stories/\(w.vaultStory)/delete", [S, 403, 404, 403, 404, 403], note: "moderators hide it through a flag instead")
        t.each(.get, { "/stories/\(o($0).story)/delete" }, signedIn(.get, "/"))
        t(.post, "/stories/\(w.orgStory)/delete", signedIn(.post, "/", 403))
        t.each(.post, { "/stories/\(o($0).storyToDelete)/delete" }, signedIn(.post, "/", 302))
        t(.get, "/useful", signedIn(.get, "/"))
        t(.post, "/useful", form(("target", "answer:\(w.orgAnswer)"), ("next", "/")), signedIn(.post, "/", 302))
        t(.post, "/useful", form(("target", "answer:\(w.vaultAnswer)"), ("next", "/")), vaultReaders(.post, "/", 302))
        t(.get, "/useful/\(w.ottoMark)", signedIn(.get, "/", 404), note: "a mark is nobody else's")
        t.each(.get, { "/useful/\(o($0).mark)" }, signedIn(.get, "/"))
        t(.post, "/useful/\(w.ottoMark)", form(("outcome", "used")), signedIn(.post, "/", 404))
        t.each(.post, { "/useful/\(o($0).mark)" }, { _ in form(("outcome", "used")) }, signedIn(.post, "/", 302))
        t(.get, "\(vault)/value", vaultReaders(.get, "/"))
        t(.get, "\(vault)/value.csv", vaultReaders(.get, "/"))
        t(.get, "\(commons)/value", [S, 200, 403, 200, 403, 200], note: "an open community's matrix: its members and administrators")
        t(.get, "\(commons)/value.csv?table=stories", [S, 200, 403, 200, 403, 200])

        // MARK: Questions (pages)
        t(.get, "/questions", signedIn(.get, "/"))
        t(.get, "/questions/new", signedIn(.get, "/"))
        t(.get, "/questions?community=\(w.vault)", vaultReaders(.get, "/"))
        t(.post, "/questions/new", form(("title", "How do we plan?")), signedIn(.post, "/", 200))
        t(.post, "/questions/new", form(("title", "How do we plan?"), ("community", w.vault)), vaultReaders(.post, "/", 200),
          note: "reviewing suggests the community's experts")
        t(.post, "/questions", form(("title", "A question for everyone?"), ("body", "Details."), ("followers", "on")),
          signedIn(.post, "/", 302))
        t(.post, "/questions", form(("title", "A question for the vault?"), ("community", w.vault)), vaultContributors(.post, "/", 302))
        t(.get, "/questions/similar?q=learn", signedIn(.get, "/"))
        t(.get, "/questions/\(w.orgQuestion)", signedIn(.get, "/"))
        t(.get, "/questions/\(w.vaultQuestion)", vaultReaders(.get, "/"))
        t(.post, "/questions/\(w.orgQuestion)/answers", form(("body", "An answer.")), signedIn(.post, "/", 302))
        t(.post, "/questions/\(w.vaultQuestion)/answers", form(("body", "An answer.")), vaultContributors(.post, "/", 302))
        t(.post, "/questions/\(w.commonsQuestion)/answers", form(("body", "An answer.")), [401, 302, 403, 302, 403, 403])
        t(.post, "/questions/\(w.vaultQuestion)/comments", form(("body", "A comment.")), vaultContributors(.post, "/", 302))
        t(.post, "/questions/\(w.commonsQuestion)/comments", form(("body", "A comment.")), [401, 302, 403, 302, 403, 403])
        t(.post, "/questions/\(w.vaultQuestion)/forward", vaultReaders(.post, "/", 302))
        t(.post, "/questions/\(w.orgQuestion)/route", form(("ask", w.tess)), signedIn(.post, "/", 403), note: "only the asker")
        t.each(.post, { "/questions/\(o($0).question)/route" }, { _ in form(("ask", w.tess)) }, signedIn(.post, "/", 302))
        t(.get, "/questions/\(w.vaultQuestion)/history", vaultReaders(.get, "/"))
        t(.get, "/questions/\(w.orgQuestion)/edit", adminOnly(.get, "/"), note: "the asker, or an administrator")
        t.each(.get, { "/questions/\(o($0).question)/edit" }, signedIn(.get, "/"))
        t(.post, "/questions/\(w.orgQuestion)/edit", form(("title", "How do we learn?"), ("body", "")), adminOnly(.post, "/", 302))
        t.each(.post, { "/questions/\(o($0).question)/edit" }, { role in form(("title", "\(role) asks a question?"), ("body", "More.")) },
               signedIn(.post, "/", 302))
        t(.get, "/answers/\(w.orgAnswer)/edit", adminOnly(.get, "/"))
        t(.post, "/answers/\(w.orgAnswer)/edit", form(("body", "By doing.")), adminOnly(.post, "/", 302))
        t(.post, "/answers/\(w.vaultAnswer)/vote", form(("value", "1")), vaultReaders(.post, "/", 302))
        t(.post, "/answers/\(w.vaultAnswer)/accept", vaultManagers(.post, "/", 302), note: "the asker, or a manager of its community")
        t(.post, "/answers/\(w.orgAnswer)/accept", signedIn(.post, "/", 403), note: "outside communities, the asker only")

        // MARK: Search, notifications (pages)
        t(.get, "/search?q=vault", signedIn(.get, "/"))
        t(.get, "/notifications", signedIn(.get, "/"))
        t(.get, "/notifications/stream", signedIn(.get, "/"))
        t(.post, "/notifications/clear", signedIn(.post, "/", 302), phase: .late)

        // MARK: Administration (pages)
        t(.get, "/admin", [303, 303, 303, 303, 303, 303], note: "a redirect to /admin/members, which decides")
        t(.get, "/admin/members", adminOnly(.get, "/"))
        t.each(.post, { "/admin/members/\(o($0).roleVictimWeb)/role" }, { _ in form(("role", "moderator")) }, adminOnly(.post, "/", 302))
        t.each(.post, { "/admin/members/\(o($0).suspendVictimWeb)/suspend" }, adminOnly(.post, "/", 302))
        t.each(.post, { "/admin/members/\(o($0).unsuspendVictimWeb)/unsuspend" }, adminOnly(.post, "/", 302))
        t(.post, "/admin/members/\(w.passwordless)/sign-in-link", adminOnly(.post, "/", 302), note: "for a member without a password")
        t(.get, "/admin/settings", adminOnly(.get, "/"))
        t(.post, "/admin/settings", form(("name", w.settingsName), ("signup_policy", "open")), adminOnly(.post, "/", 302))
        t(.post, "/admin/invitations", adminOnly(.post, "/", 302))
        t(.get, "/admin/import", adminOnly(.get, "/"))
        t(.post, "/admin/import",
          .multipart([], files: [("file", "members.csv", Array("handle,email,display_name\nimported1,imported1@example.org,Imported One\n".utf8))]),
          adminOnly(.post, "/", 200))

        // MARK: OAuth
        t(.get, "/oauth/authorize?\(authorizeQuery)", signedIn(.get, "/"))
        t(.post, "/oauth/authorize", .form(authorizeFields + [("decision", "approve")]), signedIn(.post, "/", 200),
          note: "the out-of-band redirect shows the code on a page")
        t(.post, "/oauth/token",
          form(("grant_type", "client_credentials"), ("client_id", w.clientID), ("client_secret", w.clientSecret)),
          [200, 200, 200, 200, 200, 200], note: "the client authenticates, whoever's token comes along")
        t.each(.post, { _ in "/oauth/revoke" }, { role in
            form(("token", o(role).revocableToken), ("client_id", w.clientID), ("client_secret", w.clientSecret))
        }, [200, 200, 200, 200, 200, 200])
        t(.post, "/api/v1/apps", form(("client_name", "Another app"), ("redirect_uris", outOfBandRedirect)), [200, 200, 200, 200, 200, 200])
        t(.get, "/api/v1/apps/verify_credentials", signedIn(.get, "/api/"))

        // MARK: Mastodon API: accounts, instance, relationships, hashtags
        let m = "/api/v1"
        t(.get, "\(m)/accounts/verify_credentials", signedIn(.get, m))
        t.each(.patch, { _ in "\(m)/accounts/update_credentials" }, { role in form(("display_name", (handles[role] ?? "otto").capitalized)) },
               signedIn(.patch, m))
        t(.get, "\(m)/accounts/lookup?acct=otto", signedIn(.get, m))
        t(.get, "\(m)/accounts/lookup?acct=\(w.suspended)", [401, 404, 404, 404, 200, 200])
        t(.get, "\(m)/accounts/\(w.otto)", signedIn(.get, m))
        t(.get, "\(m)/accounts/\(w.suspendedID)", [401, 404, 404, 404, 200, 200])
        t(.get, "\(m)/instance", [200, 200, 200, 200, 200, 200])
        t(.get, "/api/v2/instance", [200, 200, 200, 200, 200, 200])
        t(.get, "\(m)/custom_emojis", [200, 200, 200, 200, 200, 200])
        for action in ["follow", "unfollow", "mute", "unmute", "block", "unblock"] {
            t(.post, "\(m)/accounts/\(w.tess)/\(action)", signedIn(.post, m))
        }
        t(.get, "\(m)/accounts/relationships?id=\(w.otto)", signedIn(.get, m))
        t(.get, "\(m)/accounts/\(w.otto)/followers", signedIn(.get, m))
        t(.get, "\(m)/accounts/\(w.otto)/following", signedIn(.get, m))
        t(.get, "\(m)/accounts/\(w.otto)/statuses", signedIn(.get, m))
        t(.get, "\(m)/followed_tags", signedIn(.get, m))
        t(.get, "\(m)/tags/learning", signedIn(.get, m))
        t(.post, "\(m)/tags/learning/follow", signedIn(.post, m))
        t(.post, "\(m)/tags/learning/unfollow", signedIn(.post, m))

        // MARK: Mastodon API: statuses and timelines
        t(.post, "\(m)/statuses", form(("status", "Posted through the API")), signedIn(.post, m))
        t(.get, "\(m)/statuses/\(w.orgPost)", signedIn(.get, m))
        t(.get, "\(m)/statuses/\(w.mentionedPost)", signedIn(.get, m, 404))
        t(.get, "\(m)/statuses/\(w.removedPost)", [401, 404, 404, 404, 200, 200])
        t(.get, "\(m)/statuses/\(w.suspendedPost)", signedIn(.get, m), note: "as on the page")
        t(.get, "\(m)/accounts/\(w.suspendedID)/statuses", [401, 404, 404, 404, 200, 200])
        t(.get, "\(m)/accounts/\(w.suspendedID)/followers", [401, 404, 404, 404, 200, 200])
        t.each(.put, { "\(m)/statuses/\(o($0).post)" }, { _ in form(("status", "Edited through the API")) }, signedIn(.put, m))
        t(.put, "\(m)/statuses/\(w.orgPost)", form(("status", "Edited by someone else")), signedIn(.put, m, 403))
        t.each(.delete, { "\(m)/statuses/\(o($0).postToDeleteAPI)" }, signedIn(.delete, m))
        t.each(.delete, { "\(m)/statuses/\(o($0).ottoPostAPI)" }, [401, 403, 403, 403, 200, 200])
        t(.get, "\(m)/statuses/\(w.orgPost)/source", signedIn(.get, m))
        t(.get, "\(m)/statuses/\(w.mentionedPost)/source", signedIn(.get, m, 404))
        t(.get, "\(m)/statuses/\(w.orgPost)/history", signedIn(.get, m))
        t(.get, "\(m)/statuses/\(w.orgPost)/context", signedIn(.get, m))
        for action in ["reblog", "unreblog", "favourite", "unfavourite", "bookmark", "unbookmark"] {
            t(.post, "\(m)/statuses/\(w.orgPost)/\(action)", signedIn(.post, m))
        }
        t(.post, "\(m)/statuses/\(w.mentionedPost)/favourite", signedIn(.post, m, 404))
        t(.get, "\(m)/timelines/home", signedIn(.get, m))
        t(.get, "\(m)/timelines/public", signedIn(.get, m))
        t(.get, "\(m)/timelines/tag/learning", signedIn(.get, m))
        t(.get, "\(m)/bookmarks", signedIn(.get, m))
        t(.get, "\(m)/favourites", signedIn(.get, m))

        // MARK: Mastodon API: notifications, markers, suggestions, reports, search
        t(.get, "\(m)/notifications", signedIn(.get, m))
        t(.get, "\(m)/notifications/unread_count", signedIn(.get, m))
        t.each(.get, { "\(m)/notifications/\(o($0).notification)" }, signedIn(.get, m), note: "one's own notification")
        t(.get, "\(m)/notifications/\(w.ottoNotification)", signedIn(.get, m, 404), note: "someone else's does not exist")
        t.each(.post, { "\(m)/notifications/\(o($0).notificationToDismiss)/dismiss" }, signedIn(.post, m))
        t(.post, "\(m)/notifications/\(w.ottoNotification)/dismiss", signedIn(.post, m, 404))
        t(.post, "\(m)/notifications/clear", signedIn(.post, m), phase: .late)
        t(.get, "\(m)/markers", signedIn(.get, m))
        t.each(.post, { _ in "\(m)/markers" }, { role in form(("notifications[last_read_id]", o(role).notification)) }, signedIn(.post, m))
        t(.get, "/api/v2/suggestions", signedIn(.get, m))
        t(.get, "\(m)/suggestions", signedIn(.get, m))
        t(.delete, "\(m)/suggestions/\(w.tess)", signedIn(.delete, m))
        t.each(.post, { _ in "\(m)/reports" }, { role in
            form(("account_id", w.otto), ("status_ids", o(role).reportPost), ("category", "spam"))
        }, signedIn(.post, m))
        t(.get, "/api/v2/search?q=vault", signedIn(.get, m))

        // MARK: Pollen API: the document, members, administration
        t(.get, "\(api)/openapi.json", [200, 200, 200, 200, 200, 200])
        t(.get, "\(api)/me", signedIn(.get, api))
        t.each(.patch, { _ in "\(api)/me" }, { role in form(("display_name", (handles[role] ?? "otto").capitalized)) }, signedIn(.patch, api))
        t(.get, "\(api)/profiles/otto", signedIn(.get, api))
        t(.get, "\(api)/profiles/\(w.suspended)", [401, 404, 404, 404, 200, 200])
        t(.get, "\(api)/members", signedIn(.get, api))
        t(.get, "\(api)/admin/members", adminOnly(.get, api))
        t.each(.post, { _ in "\(api)/admin/members" }, { role in
            form(("handle", "added_\(role)"), ("email", "added_\(role)@example.org"), ("display_name", "Added"))
        }, adminOnly(.post, api, 201))
        t.each(.post, { "\(api)/admin/members/\(o($0).roleVictimAPI)/role" }, { _ in form(("role", "moderator")) }, adminOnly(.post, api))
        t.each(.post, { "\(api)/admin/members/\(o($0).suspendVictimAPI)/suspend" }, adminOnly(.post, api))
        t.each(.post, { "\(api)/admin/members/\(o($0).unsuspendVictimAPI)/unsuspend" }, adminOnly(.post, api))
        t(.post, "\(api)/admin/members/import",
          .raw(contentType: "text/csv", "handle,email,display_name\nimported2,imported2@example.org,Imported Two\n"), adminOnly(.post, api))
        t(.get, "\(api)/admin/settings", adminOnly(.get, api))
        t(.put, "\(api)/admin/settings", form(("name", w.settingsName)), adminOnly(.put, api))

        // MARK: Pollen API: communities
        t(.get, "\(api)/communities", signedIn(.get, api))
        t.each(.post, { _ in "\(api)/communities" }, { role in
            form(("slug", "api-\(role)".lowercased()), ("name", "Made by \(role)"), ("kind", "interest"))
        }, signedIn(.post, api, 201))
        t(.get, "\(api)/communities/suggested", signedIn(.get, api))
        t(.get, "\(api)/me/communities", signedIn(.get, api))
        t(.get, "\(api)/communities/\(w.vault)", vaultReaders(.get, api))
        t(.patch, "\(api)/communities/\(w.vault)", form(("name", "The Vault")), vaultManagers(.patch, api))
        t(.post, "\(api)/communities/\(w.vault)/follow", vaultReaders(.post, api, 409), note: "private: nobody follows it without joining")
        t(.delete, "\(api)/communities/\(w.vault)/follow", vaultReaders(.delete, api))
        t(.put, "\(api)/communities/\(w.vault)/notifications", form(("level", "watching")), [401, 200, 404, 200, 404, 409],
          note: "the administrator reads it but neither joined nor follows it")
        t(.get, "\(api)/communities/\(w.vault)/members", vaultReaders(.get, api))
        t(.get, "\(api)/communities/\(w.vault)/members?state=requested", vaultManagers(.get, api))
        t.each(.post, { "\(api)/communities/\(w.vault)/members/\(o($0).inviteeAPI)" }, { _ in form(("action", "invite")) },
               vaultManagers(.post, api))
        t(.get, "\(api)/communities/\(w.vault)/items", vaultReaders(.get, api))
        t(.post, "\(api)/communities/\(w.vault)/items", form(("type", "thread"), ("title", "Through the API"), ("body", "Text.")),
          vaultContributors(.post, api, 201))
        t(.get, "\(api)/items/\(w.vaultThread)", vaultReaders(.get, api))
        t(.get, "\(api)/items/\(w.vaultDraft)", [401, 404, 404, 200, 404, 200])
        t(.get, "\(api)/items/\(w.commonsHidden)", [401, 404, 404, 200, 200, 200])
        t(.patch, "\(api)/items/\(w.vaultThread)", form(("title", "Vault thread")), vaultManagers(.patch, api))
        t.each(.delete, { "\(api)/items/\(o($0).vaultThreadAPI)" }, vaultManagers(.delete, api, 204))
        t(.get, "\(api)/items/\(w.vaultThread)/comments", vaultReaders(.get, api))
        t(.post, "\(api)/items/\(w.vaultThread)/comments", form(("body", "A reply through the API.")), vaultContributors(.post, api, 201))
        t.each(.delete, { "\(api)/comments/\(o($0).vaultCommentAPI)" }, vaultManagers(.delete, api, 204))
        t(.put, "\(api)/items/\(w.vaultThread)/rating", form(("stars", "4")), vaultContributors(.put, api))
        t(.post, "\(api)/items/\(w.vaultThread)/favourite", vaultReaders(.post, api))
        t(.delete, "\(api)/items/\(w.vaultThread)/favourite", vaultReaders(.delete, api))
        t(.post, "\(api)/items/\(w.vaultArticle)/feature", form(("note", "Read this.")), vaultManagers(.post, api))
        t(.delete, "\(api)/items/\(w.vaultArticle)/feature", vaultManagers(.delete, api))
        t(.post, "\(api)/items/\(w.vaultPinThread)/pin", vaultManagers(.post, api))
        t(.delete, "\(api)/items/\(w.vaultPinThread)/pin", vaultManagers(.delete, api))
        t(.post, "\(api)/items/\(w.vaultPinThread)/close", vaultManagers(.post, api))
        t(.delete, "\(api)/items/\(w.vaultPinThread)/close", vaultManagers(.delete, api))
        t(.get, "\(api)/items/\(w.vaultWiki)/revisions", vaultReaders(.get, api))
        t(.get, "\(api)/items/\(w.vaultWiki)/diff?from=1&to=2", vaultReaders(.get, api))
        t(.post, "\(api)/items/\(w.vaultWiki)/revisions/1/restore", vaultReaders(.post, api))
        t(.post, "\(api)/items/\(w.vaultThread)/revisions/1/restore", vaultManagers(.post, api))
        t(.get, "\(api)/items/\(w.vaultResource)/file", vaultReaders(.get, api))
        t(.get, "\(api)/search/items?q=vault", signedIn(.get, api))

        // MARK: Pollen API: moderation
        t(.post, "\(api)/flags", form(("target", "post:\(w.flagPostAPI)"), ("reason", "spam")), signedIn(.post, api, 201))
        t(.post, "\(api)/flags", form(("target", "item:\(w.vaultWiki)"), ("reason", "spam")), vaultReaders(.post, api, 201))
        t(.get, "\(api)/moderation/queue", moderators(.get, api))
        t(.get, "\(api)/communities/\(w.vault)/moderation/queue", vaultManagers(.get, api))
        t(.get, "\(api)/communities/\(w.commons)/moderation/queue", [401, 403, 403, 200, 200, 200])
        t(.get, "\(api)/moderation/cases/\(w.orgCase)", [401, 404, 404, 404, 200, 200])
        t(.get, "\(api)/moderation/cases/\(w.vaultCase)", [401, 404, 404, 200, 404, 200])
        t.each(.get, { "\(api)/moderation/cases/\(o($0).removedCaseAPI)" }, signedIn(.get, api))
        t.each(.post, { "\(api)/moderation/cases/\(o($0).orgCaseAPI)/decisions" }, { _ in form(("action", "approve")) },
               moderators(.post, api))
        t.each(.post, { "\(api)/moderation/cases/\(o($0).vaultCaseAPI)/decisions" }, { _ in form(("action", "approve")) },
               [401, 403, 404, 200, 404, 200])
        t.each(.post, { "\(api)/moderation/cases/\(o($0).removedCaseAPI)/appeal" }, { _ in form(("text", "It was on topic.")) },
               signedIn(.post, api))
        t(.post, "\(api)/moderation/cases/\(w.orgCase)/appeal", form(("text", "Not mine.")), signedIn(.post, api, 404))
        t(.get, "\(api)/communities/\(w.vault)/moderation/policy", vaultManagers(.get, api))
        t(.put, "\(api)/communities/\(w.vault)/moderation/policy", form(("comment", "open")), vaultManagers(.put, api))
        t(.get, "\(api)/moderation/watched-words", moderators(.get, api))
        t.each(.post, { _ in "\(api)/moderation/watched-words" }, { role in form(("word", "apitableword\(role)")) },
               moderators(.post, api, 201))
        t.each(.delete, { "\(api)/moderation/watched-words/\(o($0).wordAPI)" }, moderators(.delete, api, 204))
        t(.get, "\(api)/admin/moderation-settings", adminOnly(.get, api))
        t(.put, "\(api)/admin/moderation-settings", form(("new_member_hours", "0")), adminOnly(.put, api))
        t(.get, "\(api)/admin/audit", adminOnly(.get, api))
        t(.post, "\(api)/items/\(w.vaultArticle)/health", form(("health", "reviewed")), vaultManagers(.post, api))
        t(.get, "\(api)/communities/\(w.vault)/health", vaultManagers(.get, api))

        // MARK: Pollen API: questions
        t(.get, "\(api)/questions", signedIn(.get, api))
        t(.post, "\(api)/questions", form(("title", "Asked through the API?")), signedIn(.post, api, 201))
        t(.post, "\(api)/questions", form(("title", "Asked in the vault?"), ("community", w.vault)), vaultContributors(.post, api, 201))
        t(.get, "\(api)/questions/similar?q=learn", signedIn(.get, api))
        t(.get, "\(api)/questions/measures", signedIn(.get, api))
        t(.get, "\(api)/questions/measures?community=\(w.vault)", vaultReaders(.get, api))
        t(.get, "\(api)/questions?community=\(w.vault)", vaultReaders(.get, api))
        t(.get, "\(api)/experts?community=\(w.vault)", vaultReaders(.get, api))
        t(.get, "\(api)/questions/\(w.vaultQuestion)", vaultReaders(.get, api))
        t(.patch, "\(api)/questions/\(w.orgQuestion)", form(("title", "How do we learn?")), adminOnly(.patch, api))
        t(.get, "\(api)/questions/\(w.vaultQuestion)/revisions", vaultReaders(.get, api))
        t(.post, "\(api)/questions/\(w.vaultQuestion)/answers", form(("body", "An answer.")), vaultContributors(.post, api, 201))
        t(.post, "\(api)/questions/\(w.vaultQuestion)/comments", form(("body", "A comment.")), vaultContributors(.post, api, 201))
        t(.post, "\(api)/questions/\(w.commonsQuestion)/comments", form(("body", "A comment.")), [401, 201, 403, 201, 403, 403])
        t(.post, "\(api)/questions/\(w.vaultQuestion)/forward", vaultReaders(.post, api))
        t(.post, "\(api)/questions/\(w.orgQuestion)/route", form(("ask", "tess")), signedIn(.post, api, 403))
        t.each(.post, { "\(api)/questions/\(o($0).question)/route" }, { _ in form(("ask", "tess")) }, signedIn(.post, api))
        t(.get, "\(api)/questions/\(w.vaultQuestion)/experts", vaultReaders(.get, api))
        t(.get, "\(api)/experts?tags=learning", signedIn(.get, api))
        t(.patch, "\(api)/answers/\(w.orgAnswer)", form(("body", "By doing.")), adminOnly(.patch, api))
        t(.get, "\(api)/answers/\(w.vaultAnswer)/revisions", vaultReaders(.get, api))
        t(.post, "\(api)/answers/\(w.vaultAnswer)/vote", form(("value", "1")), vaultReaders(.post, api))
        t(.post, "\(api)/answers/\(w.vaultAnswer)/accept", vaultManagers(.post, api))
        t(.get, "\(api)/me/question-settings", signedIn(.get, api))
        t(.put, "\(api)/me/question-settings", form(("accepts_forwards", "true")), signedIn(.put, api))

        // MARK: Pollen API: value stories and useful marks
        t(.get, "\(api)/stories", signedIn(.get, api))
        t(.get, "\(api)/stories?community=\(w.vault)", vaultReaders(.get, api))
        t(.post, "\(api)/stories", .form(storyFields), signedIn(.post, api, 201))
        t(.post, "\(api)/stories", .form(storyFields + [("community", w.vault)]), vaultContributors(.post, api, 201))
        t(.get, "\(api)/stories/\(w.orgStory)", signedIn(.get, api))
        t(.get, "\(api)/stories/\(w.vaultStory)", vaultReaders(.get, api))
        t(.post, "\(api)/useful-marks", form(("target", "answer:\(w.orgAnswer)")), signedIn(.post, api))
        t(.post, "\(api)/useful-marks", form(("target", "answer:\(w.vaultAnswer)")), vaultReaders(.post, api))
        t(.delete, "\(api)/useful-marks/answer:\(w.orgAnswer)", signedIn(.delete, api, 204), phase: .late,
          note: "after the page rows that read the marks")

        // MARK: Pollen API: discovery and collections
        t(.get, "\(api)/suggestions", signedIn(.get, api))
        t(.delete, "\(api)/suggestions/\(w.tess)", signedIn(.delete, api, 204))
        t(.post, "\(api)/follows", form(("account_ids", w.tess)), signedIn(.post, api))
        t(.post, "\(api)/unfollows", form(("account_ids", w.tess)), signedIn(.post, api))
        t(.get, "\(api)/profiles/otto/network", signedIn(.get, api))
        t(.get, "\(api)/profiles/\(w.nina)/network", signedIn(.get, api, 403))
        t(.get, "\(api)/subjects/learning", signedIn(.get, api))
        t(.get, "\(api)/explore", signedIn(.get, api))
        t(.get, "\(api)/me/privacy", signedIn(.get, api))
        t(.put, "\(api)/me/privacy", form(("audience", "everyone")), signedIn(.put, api))
        t(.get, "\(api)/me/unfollow-suggestions", signedIn(.get, api))
        t(.get, "\(api)/me/insight", signedIn(.get, api))
        t(.get, "\(api)/collections", signedIn(.get, api))
        t(.post, "\(api)/collections", form(("title", "An API list"), ("handles", "tess")), signedIn(.post, api, 201))
        t(.get, "\(api)/collections/\(w.collection)", signedIn(.get, api))
        t(.put, "\(api)/collections/\(w.collection)", form(("title", "Otto's people")), adminOnly(.put, api))
        t.each(.delete, { "\(api)/collections/\(o($0).ottoCollectionAPI)" }, adminOnly(.delete, api, 204))
        t(.post, "\(api)/collections/\(w.collection)/follow", signedIn(.post, api))

        // MARK: Late: joining and leaving (after everything that depends on who is in which community)
        t(.post, "\(vault)/join", vaultReaders(.post, "/", 302), phase: .late, note: "members: \"already a member\"")
        t(.post, "\(commons)/join", signedIn(.post, "/", 302), phase: .late)
        t(.post, "\(commons)/leave", signedIn(.post, "/", 302), phase: .late, note: "the last manager is told to name another")
        t(.post, "\(api)/communities/\(w.vault)/join", vaultReaders(.post, api, 409), phase: .late,
          note: "members already are; the administrator asked already (from the getting-started guide)")
        t(.post, "\(api)/communities/\(w.vault)/leave", [401, 204, 404, 409, 404, 204], phase: .late,
          note: "the last manager may not leave; the administrator withdraws the request")

        return t.rows
    }
}

// MARK: - The tests

extension AuthorizationTableTests {
    /// Routes without a row, each with the reason. Keep this short: a route worth registering is worth a row.
    static let exemptions: [String: String] = [:]

    @Test func everyRoleGetsWhatTheTableSays() async throws {
        try await WebHarness.run { harness, client in
            let (world, agents) = try await Self.build(harness, client)
            let rows = Self.table(world)
            var requests = 0
            for phase in [Phase.normal, .late] {
                for row in rows where row.phase == phase {
                    var mismatches: [String] = []
                    for role in Role.allCases {
                        let agent: Agent
                        switch row.session {
                        case .usual: agent = agents[role]!
                        case .isolated: agent = agents[role]!.copy()
                        case .fresh:
                            if let handle = Self.handles[role] {
                                agent = Agent(client)
                                try await agent.signIn(handle)
                            } else {
                                agent = try await Agent.anonymous(client)
                            }
                        }
                        let path = row.path(role)
                        let reply = try await agent.send(row.method, path, row.body(role))
                        requests += 1
                        let expected = row.expected[role]!
                        if !expected.matches(reply.status, location: reply.location) {
                            let location: String = reply.location.map { " → \($0)" } ?? ""
                            let note: String = row.note.map { " [\($0)]" } ?? ""
                            let message = "\(row.method) \(path) as \(role): expected \(expected), got \(reply.status)"
                            mismatches.append("\(message)\(location) \(Self.gist(reply.body))\(note)")
                        }
                    }
                    if let bug = row.bug {
                        if mismatches.isEmpty {
                            Issue.record("Known bug fixed, remove its marker: \(bug)", sourceLocation: row.location)
                        }
                        for mismatch in mismatches {
                            withKnownIssue(Comment(rawValue: bug)) { Issue.record("\(mismatch)", sourceLocation: row.location) }
                        }
                    } else {
                        for mismatch in mismatches { Issue.record("\(mismatch)", sourceLocation: row.location) }
                    }
                }
            }
            #expect(requests == rows.count * Role.allCases.count)

            // What the statuses cannot show: the getting-started guide did not let anyone into the private community.
            let outsiders = try await harness.store.read { repos -> [String] in
                let vault = try #require(try await repos.communities.find(slug: world.vault))
                var inside: [String] = []
                for handle in ["nora", "mona"] {
                    let member = try #require(try await repos.members.find(handle: handle))
                    if try await repos.communities.membership(of: member.id, in: vault.id) != nil { inside.append(handle) }
                }
                return inside
            }
            #expect(outsiders.isEmpty, "\(outsiders) got into the private community")
        }
    }

    @Test func everyRouteHasARow() async throws {
        try await WebHarness.run { harness, _ in
            let router = try await buildRouter(pollen: harness.pollen, configuration: WebHarness.testConfiguration)
            let routes = router.routes.map { "\($0.method) \($0.path)" }
            #expect(routes.count > 300, "the router lists its routes")
            var covered: Set<String> = []
            for row in Self.table(World()) {
                let path = row.path(.member)
                if let route = Self.route(row.method, path, among: routes) {
                    covered.insert(route)
                } else {
                    Issue.record("\(row.method) \(path) matches no registered route", sourceLocation: row.location)
                }
            }
            let missing = routes.filter { !covered.contains($0) && Self.exemptions[$0] == nil }.sorted()
            #expect(missing.isEmpty, "routes without a row in the authorization table:\n\(missing.joined(separator: "\n"))")
            let stale = Self.exemptions.keys.filter { !routes.contains($0) }.sorted()
            #expect(stale.isEmpty, "exemptions for routes that no longer exist: \(stale)")
        }
    }

    /// What statuses cannot show: lists, searches, timelines and queues leave the private community's content out for
    /// those outside it, and show it to those inside (so that the probe can fail).
    @Test func privateContentStaysOutOfListsAndSearches() async throws {
        try await WebHarness.run { harness, client in
            let (w, agents) = try await Self.build(harness, client)
            let api = "/api/pollen/v1"
            // The outsiders follow @max, who passes the private question on; @otto asks them by name too: neither
            // reaches them.
            let pollen = harness.pollen
            var people: [Member] = []
            for handle in ["max", "nora", "mona", "otto"] {
                people.append(try #require(try await harness.store.read { try await $0.members.find(handle: handle) }))
            }
            let (max, nora, mona, otto) = (people[0], people[1], people[2], people[3])
            for outsider in [nora, mona] { _ = try await pollen.followMember(max.id, by: .member(outsider)) }
            let question = try #require(Question.ID(string: w.vaultQuestion))
            _ = try await pollen.forwardQuestion(question, note: "Have a look", by: .member(max))
            _ = try await pollen.routeQuestion(question, to: [nora.id, mona.id], by: .member(otto))
            let outsiders: [String] = [
                "/", "/local", "/search?q=zebras", "/tags/zebra", "/questions?queue=all", "/questions?queue=unanswered",
                "/questions?queue=for-me", "/questions/similar?q=vault", "/communities", "/communities?q=vault", "/explore", "/notifications", "/moderation",
                "/stories", "/useful",
                "/@otto", "/members?q=otto", "/api/v2/search?q=zebras", "/api/v1/timelines/public", "/api/v1/timelines/tag/zebra",
                "/api/v1/notifications", "\(api)/search/items?q=zebras", "\(api)/questions?queue=all", "\(api)/questions?queue=for-me",
                "\(api)/questions/similar?q=vault",
                "\(api)/communities", "\(api)/communities?q=vault", "\(api)/communities/suggested", "\(api)/subjects/zebra",
                "\(api)/moderation/queue", "\(api)/explore", "\(api)/experts?tags=zebra",
            ]
            for role in [Role.nonMember, .moderator] {
                for path in outsiders {
                    let reply = try await agents[role]!.send(.get, path)
                    #expect(reply.status < 400 || reply.status == 403, "\(path) as \(role): \(reply.status)")
                    #expect(!reply.body.contains(Self.secret), "\(path) as \(role) shows the private community's content")
                }
            }
            // The hashtag page lists the communities one is in that talk about it: not every one an administrator may read.
            let insiders: [(String, [Role])] = [
                ("/search?q=zebras", [.member, .manager, .admin]), ("/questions?queue=all", [.member, .manager, .admin]),
                ("/communities", [.member, .manager, .admin]), ("\(api)/search/items?q=zebras", [.member, .manager, .admin]),
                ("/tags/zebra", [.member, .manager]), ("/stories", [.member, .manager, .admin]),
            ]
            for (path, roles) in insiders {
                for role in roles {
                    let reply = try await agents[role]!.send(.get, path)
                    #expect(reply.body.contains(Self.secret), "\(path) as \(role) leaves out the private community's content")
                }
            }
        }
    }

    /// The registered route (`METHOD /pattern`) a request reaches: the most specific pattern its path matches, as the
    /// router picks it (a literal segment before a segment with a capture, and that before a bare capture).
    static func route(_ method: HTTPRequest.Method, _ path: String, among routes: [String]) -> String? {
        let bare = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        let segments = bare.split(separator: "/").map(String.init)
        var best: (route: String, score: [Int])?
        for route in routes {
            let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0] == method.rawValue else { continue }
            let pattern = parts[1].split(separator: "/").map(String.init)
            guard pattern.count == segments.count else { continue }
            var score: [Int] = []
            for (element, segment) in zip(pattern, segments) {
                guard let open = element.firstIndex(of: "{"), let close = element.lastIndex(of: "}") else {
                    guard element == segment else { score = []; break }
                    score.append(2)
                    continue
                }
                let prefix = String(element[..<open]), suffix = String(element[element.index(after: close)...])
                guard segment.hasPrefix(prefix), segment.hasSuffix(suffix), segment.count > prefix.count + suffix.count else {
                    score = []
                    break
                }
                score.append(prefix.isEmpty && suffix.isEmpty ? 0 : 1)
            }
            guard score.count == segments.count else { continue }
            if best.map({ score.lexicographicallyPrecedes($0.score) == false && score != $0.score }) ?? true {
                best = (route, score)
            }
        }
        return best?.route
    }

    /// The gist of a refusal, for the failure message: an API error, or a page's title.
    static func gist(_ body: String) -> String {
        if body.hasPrefix("{"), let data = body.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let error = object["error"]
        {
            return "(\(error))"
        }
        guard let start = body.range(of: "<title>"), let end = body.range(of: "</title>", range: start.upperBound..<body.endIndex) else {
            return String(body.prefix(120))
        }
        return "(\(body[start.upperBound..<end.lowerBound]))"
    }
}
