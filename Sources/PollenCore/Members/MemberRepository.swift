import Foundation

/// What the directory search matches; every filter is optional and they combine with AND.
public struct DirectoryQuery: Sendable, Equatable {
    /// Free text matched against name, handle, bio, department, location, job role, subjects and expertise.
    public var text: String
    public var subject: String?
    public var expertise: String?
    public var department: String?
    public var location: String?
    public var includeSuspended: Bool
    /// Leaves out members who chose not to be offered to others, except this one (the viewer); `nil` lists
    /// everyone (administration).
    public var offeredTo: Member.ID?
    public var limit: Int
    public var offset: Int

    public init(
        text: String = "", subject: String? = nil, expertise: String? = nil, department: String? = nil,
        location: String? = nil, includeSuspended: Bool = false, offeredTo: Member.ID? = nil, limit: Int = 50,
        offset: Int = 0
    ) {
        self.offeredTo = offeredTo
        self.text = text
        self.subject = subject
        self.expertise = expertise
        self.department = department
        self.location = location
        self.includeSuspended = includeSuspended
        self.limit = limit
        self.offset = offset
    }
}

/// A page of search results and how many there are in all.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: Int
    public init(items: [Item], total: Int) {
        self.items = items
        self.total = total
    }
}

/// Storage of members and their profiles.
public protocol MemberRepository: Sendable {
    func insert(_ member: Member) async throws
    /// Inserts many members in one statement batch; used by imports and the demo generator.
    func insertMany(_ members: [Member]) async throws
    func update(_ member: Member) async throws
    func find(id: Member.ID) async throws -> Member?
    /// Handles are unique regardless of case.
    func find(handle: String) async throws -> Member?
    /// E-mail addresses are unique regardless of case.
    func find(email: String) async throws -> Member?
    func find(ids: [Member.ID]) async throws -> [Member]
    func count() async throws -> Int
    func countAdmins() async throws -> Int
    func search(_ query: DirectoryQuery) async throws -> Page<Member>
    /// The distinct non-empty departments and locations in use, for the directory's filter choices.
    func facets() async throws -> DirectoryFacets
}

public struct DirectoryFacets: Sendable, Equatable {
    public var departments: [String]
    public var locations: [String]
    public init(departments: [String], locations: [String]) {
        self.departments = departments
        self.locations = locations
    }
}
