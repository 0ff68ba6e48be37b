import Foundation
import PollenCore
import SQLKit

struct SQLNotificationRepository: NotificationRepository {
    let db: any SQLDatabase

    func insert(_ n: MemberNotification) async throws {
        try await db.raw(
            """
            INSERT INTO notifications (id, member_id, kind, actor_id, post_id, community_id, item_id, question_id, case_id, useful_mark_id,
                created_at, read_at)
            VALUES (\(bind: n.id.rawValue), \(bind: n.memberID.rawValue), \(bind: n.kind.rawValue),
                    \(bind: n.actorID.rawValue), \(bind: n.postID?.rawValue), \(bind: n.communityID?.rawValue),
                    \(bind: n.itemID?.rawValue), \(bind: n.questionID?.rawValue), \(bind: n.caseID?.rawValue), \(bind: n.markID?.rawValue),
                    \(bind: n.createdAt.milliseconds),
                    \(bind: n.readAt?.milliseconds))
            """
        ).run()
    }

    func find(id: MemberNotification.ID, member: Member.ID) async throws -> MemberNotification? {
        try await db.raw(
            "SELECT * FROM notifications WHERE id = \(bind: id.rawValue) AND member_id = \(bind: member.rawValue)"
        ).first().map(Self.decode)
    }

    func list(member: Member.ID, kinds: Set<MemberNotification.Kind>?, range: CursorRange) async throws
        -> [MemberNotification]
    {
        var query = SQLQueryString("SELECT * FROM notifications WHERE member_id = \(bind: member.rawValue)")
        if let kinds {
            guard !kinds.isEmpty else { return [] }
            query.appendLiteral(" AND kind IN (")
            query.appendList(kinds.map(\.rawValue).sorted()) { "\(bind: $0)" }
            query.appendLiteral(")")
        }
        query.appendInterpolation(SQLNetworkRepository.cursorClause(range, column: "id"))
        let list = try await db.raw(query).all().map(Self.decode)
        return range.readsUpward ? list.reversed() : list
    }

    func unreadCount(member: Member.ID) async throws -> Int {
        let row = try await db.raw(
            "SELECT COUNT(*) AS n FROM notifications WHERE member_id = \(bind: member.rawValue) AND read_at IS NULL"
        ).first()
        return Int(try row?.decode(column: "n", as: Int64.self) ?? 0)
    }

    func markRead(member: Member.ID, upTo: MemberNotification.ID, at: Date) async throws {
        try await db.raw(
            """
            UPDATE notifications SET read_at = \(bind: at.milliseconds)
            WHERE member_id = \(bind: member.rawValue) AND id <= \(bind: upTo.rawValue) AND read_at IS NULL
            """
        ).run()
    }

    func dismiss(id: MemberNotification.ID, member: Member.ID) async throws -> Bool {
        try await db.raw(
            """
            DELETE FROM notifications WHERE id = \(bind: id.rawValue) AND member_id = \(bind: member.rawValue)
            RETURNING id
            """
        ).first() != nil
    }

    func clear(member: Member.ID) async throws {
        try await db.raw("DELETE FROM notifications WHERE member_id = \(bind: member.rawValue)").run()
    }

    func deleteAll(about post: Post.ID) async throws {
        try await db.raw("DELETE FROM notifications WHERE post_id = \(bind: post.rawValue)").run()
    }

    func withdraw(_ kind: MemberNotification.Kind, to member: Member.ID, from actor: Member.ID, post: Post.ID?) async throws {
        var query = SQLQueryString(
            """
            DELETE FROM notifications WHERE member_id = \(bind: member.rawValue) AND kind = \(bind: kind.rawValue)
            AND actor_id = \(bind: actor.rawValue)
            """)
        if let post {
            query.appendInterpolation(" AND post_id = \(bind: post.rawValue)" as SQLQueryString)
        } else {
            query.appendLiteral(" AND post_id IS NULL")
        }
        try await db.raw(query).run()
    }

    func lastRead(member: Member.ID) async throws -> MemberNotification.ID? {
        try await db.raw(
            """
            SELECT MAX(id) AS id FROM notifications WHERE member_id = \(bind: member.rawValue) AND read_at IS NOT NULL
            """
        ).first()?.decode(column: "id", as: Int64?.self).map(MemberNotification.ID.init)
    }

    static func decode(_ row: any SQLRow) throws -> MemberNotification {
        MemberNotification(
            id: MemberNotification.ID(try row.decode(column: "id", as: Int64.self)),
            memberID: Member.ID(try row.decode(column: "member_id", as: Int64.self)),
            kind: MemberNotification.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .mention,
            actorID: Member.ID(try row.decode(column: "actor_id", as: Int64.self)),
            postID: try row.decode(column: "post_id", as: Int64?.self).map(Post.ID.init),
            communityID: try row.decode(column: "community_id", as: Int64?.self).map(Community.ID.init),
            itemID: try row.decode(column: "item_id", as: Int64?.self).map(CommunityItem.ID.init),
            questionID: try row.decode(column: "question_id", as: Int64?.self).map(Question.ID.init),
            caseID: try row.decode(column: "case_id", as: Int64?.self).map(ModerationCase.ID.init),
            markID: try row.decode(column: "useful_mark_id", as: Int64?.self).map(UsefulMark.ID.init),
            createdAt: Date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            readAt: try row.decode(column: "read_at", as: Int64?.self).map(Date.init(milliseconds:)))
    }
}
