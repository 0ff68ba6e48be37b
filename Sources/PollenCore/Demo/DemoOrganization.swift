import Foundation

/// One generated member of the demo organization, before it is stored.
public struct DemoMemberDraft: Sendable, Equatable {
    /// Unique handle built from the name: lowercase `[a-z0-9_]`, 3...30 characters, with a numeric suffix
    /// on collision (`amara_okafor2`).
    public var handle: String
    /// `handle@domain`, with the domain given to the generator.
    public var email: String
    /// Given and family name, e.g. "Amara Okafor".
    public var displayName: String
    /// One or two sentences naming the member's role, department and subjects; at most 500 characters.
    public var bio: String
    /// The unit the member works in, e.g. "Supply Chain".
    public var department: String
    /// The city the member works in.
    public var location: String
    /// A job role that fits the department, or a cross-cutting one such as "Team Lead".
    public var jobRole: String
    /// 1...6 distinct subject slugs (`[a-z0-9-]`) the member learns about.
    public var subjects: [String]
    /// 0...4 distinct subject slugs the member can help others with.
    public var expertise: [String]
    /// Whether the member is one of the few recognised voices on at least one of their subjects; such a
    /// member has that subject in `expertise` and a bio that says they write and speak about it.
    public var isThoughtLeader: Bool
}

/// A deterministic generator of a believable organization: the same seed gives the same members.
public struct DemoOrganizationGenerator: Sendable {
    private let seed: UInt64
    private let emailDomain: String

    /// Creates a generator whose members all derive from `seed` and get e-mail addresses at `emailDomain`
    /// (trimmed, lowercased, without a leading `@`).
    public init(seed: UInt64, emailDomain: String = "example.org") {
        self.seed = seed
        var domain = emailDomain.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        while domain.hasPrefix("@") { domain.removeFirst() }
        self.emailDomain = domain.isEmpty ? "example.org" : domain
    }

    /// Members 0..<count, in order. Generating `count` members then `more` is NOT required to be a
    /// prefix-stable stream; just deterministic per (seed, count).
    public func members(count: Int) -> [DemoMemberDraft] {
        guard count > 0 else { return [] }
        var builder = Builder(seed: seed, emailDomain: emailDomain, count: count)
        return builder.build()
    }
}

// MARK: - Generation

extension DemoOrganizationGenerator {
    private static let maxSubjects = 6
    private static let maxExpertise = 4
    private static let maxLeadershipsPerMember = 2
    private static let maxHandleLength = 30
    private static let maxBioLength = 500
    private static let fullThoughtLeaderCoverage = 500

    /// A member while it is being generated; subjects and expertise are catalog indices.
    private typealias Random = DemoRandom
    private typealias WeightedTable = DemoWeightedTable

    private struct WorkMember {
        var givenName: String
        var familyName: String
        var handle: String
        var department: Int
        var location: Int
        var jobRole: String
        var subjects: [Int]
        var expertise: [Int]
    }

    private struct Builder {
        let catalog = DemoOrganizationGenerator.catalog
        let emailDomain: String
        let count: Int
        var rng: Random
        var usedHandles: Set<String> = []
        var nextSuffix: [String: Int] = [:]
        var work: [WorkMember] = []
        var leaderOf: [[Int]] = []

        init(seed: UInt64, emailDomain: String, count: Int) {
            self.rng = Random(seed: seed)
            self.emailDomain = emailDomain
            self.count = count
        }

        mutating func build() -> [DemoMemberDraft] {
            work.reserveCapacity(count)
            usedHandles.reserveCapacity(count)
            for _ in 0..<count { work.append(makeMember()) }
            chooseThoughtLeaders()
            var drafts: [DemoMemberDraft] = []
            drafts.reserveCapacity(count)
            for index in 0..<count { drafts.append(draft(for: index)) }
            return drafts
        }

        // MARK: Members

        mutating func makeMember() -> WorkMember {
            let departmentIndex = catalog.departmentTable.pick(&rng)
            let department = catalog.departments[departmentIndex]

            let location: Int
            if !department.hubs.isEmpty && rng.chance(department.hubShare) {
                location = department.hubs[rng.int(below: department.hubs.count)]
            } else {
                location = catalog.locationTable.pick(&rng)
            }

            let jobRole: String
            var roleSubjects: [Int] = []
            if rng.chance(department.crossRoleShare) {
                let role = catalog.crossRoles[catalog.crossRoleTable.pick(&rng)]
                jobRole = role.title
                roleSubjects = role.subjects
            } else {
                jobRole = department.roles[department.roleTable.pick(&rng)]
            }

            let given = catalog.givenNames[rng.int(below: catalog.givenNames.count)]
            let family = catalog.familyNames[rng.int(below: catalog.familyNames.count)]
            let handle = uniqueHandle(base: Self.handleBase(given: given, family: family))

            let subjects = drawSubjects(department: department, roleSubjects: roleSubjects)
            let expertise = drawExpertise(department: department, subjects: subjects)

            return WorkMember(
                givenName: given, familyName: family, handle: handle, department: departmentIndex,
                location: location, jobRole: jobRole, subjects: subjects, expertise: expertise)
        }

        mutating func drawSubjects(department: Department, roleSubjects: [Int]) -> [Int] {
            let target = catalog.subjectCountTable.pick(&rng) + 1
            // Managers lean on their role's subjects, everyone leans on their unit's, and the rest follows
            // organization-wide popularity so a few subjects dominate and a long tail stays rare.
            let roleShare = roleSubjects.isEmpty ? 0.0 : 0.3
            let departmentShare = roleShare + 0.5
            var subjects: [Int] = []
            subjects.reserveCapacity(target)
            var attempts = 0
            while subjects.count < target && attempts < 32 {
                attempts += 1
                let roll = rng.unit()
                let subject: Int
                if roll < roleShare {
                    subject = roleSubjects[rng.int(below: roleSubjects.count)]
                } else if roll < departmentShare {
                    subject = department.subjects[department.subjectTable.pick(&rng)]
                } else {
                    subject = catalog.subjectTable.pick(&rng)
                }
                if !subjects.contains(subject) { subjects.append(subject) }
            }
            return subjects
        }

        mutating func drawExpertise(department: Department, subjects: [Int]) -> [Int] {
            let target = catalog.expertiseCountTable.pick(&rng)
            var expertise: [Int] = []
            var attempts = 0
            while expertise.count < target && attempts < 24 {
                attempts += 1
                let subject: Int
                if rng.chance(0.75) || subjects.isEmpty {
                    subject = department.subjects[department.subjectTable.pick(&rng)]
                } else {
                    subject = subjects[rng.int(below: subjects.count)]
                }
                if !expertise.contains(subject) { expertise.append(subject) }
            }
            return expertise
        }

        static func handleBase(given: String, family: String) -> String {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(given.utf8.count + family.utf8.count + 1)
            Self.appendSlug(of: given, to: &bytes)
            bytes.append(UInt8(ascii: "_"))
            Self.appendSlug(of: family, to: &bytes)
            if bytes.count > DemoOrganizationGenerator.maxHandleLength {
                bytes.removeLast(bytes.count - DemoOrganizationGenerator.maxHandleLength)
            }
            // Names in the catalog are long enough; this only guards against a future short entry.
            while bytes.count < 3 { bytes.append(UInt8(ascii: "x")) }
            return String(decoding: bytes, as: UTF8.self)
        }

        static func appendSlug(of name: String, to bytes: inout [UInt8]) {
            for byte in name.utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    bytes.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    bytes.append(byte + 32)
                default:
                    // Handles allow only [a-z0-9_], so "O'Brien" and "Van Dijk" lose their punctuation and spaces.
                    break
                }
            }
        }

        mutating func uniqueHandle(base: String) -> String {
            if usedHandles.insert(base).inserted { return base }
            // Remembering the next free suffix per base keeps common names from rescanning 2, 3, 4...
            var suffix = nextSuffix[base, default: 2]
            while true {
                let digits = String(suffix)
                suffix += 1
                let candidate = String(base.prefix(DemoOrganizationGenerator.maxHandleLength - digits.count)) + digits
                if usedHandles.insert(candidate).inserted {
                    nextSuffix[base] = suffix
                    return candidate
                }
            }
        }

        // MARK: Thought leaders

        mutating func chooseThoughtLeaders() {
            let subjectCount = catalog.subjects.count
            var learners = Array(repeating: [Int](), count: subjectCount)
            for (index, member) in work.enumerated() {
                for subject in member.subjects { learners[subject].append(index) }
            }
            leaderOf = Array(repeating: [], count: count)

            // Below this size, giving every subject its own voices would make most members thought
            // leaders, so small organizations get a budget spent on the most popular subjects instead.
            let fullCoverage = count >= DemoOrganizationGenerator.fullThoughtLeaderCoverage
            var budget = fullCoverage ? Int.max : max(1, count / 5)
            for subject in 0..<subjectCount where budget > 0 {
                let pool = learners[subject]
                var wanted = 2
                if pool.count >= 40 { wanted += rng.int(below: 3) }
                if pool.count >= 2_000 { wanted += 1 }
                if pool.count >= 10_000 { wanted += 1 }
                wanted = min(wanted, budget)
                var chosen = pickLeaders(subject: subject, pool: pool, wanted: wanted)
                if chosen.count < wanted && fullCoverage {
                    recruitLeaders(subject: subject, into: &chosen, wanted: wanted)
                }
                if !fullCoverage { budget -= chosen.count }
                for member in chosen { leaderOf[member].append(subject) }
            }

            for index in 0..<count where !leaderOf[index].isEmpty {
                deepenExpertise(of: index)
            }
        }

        func isEligibleLeader(_ member: Int) -> Bool {
            leaderOf[member].count < DemoOrganizationGenerator.maxLeadershipsPerMember
        }

        /// Prefers learners whose unit owns the subject, and among those the ones already expert in it.
        mutating func pickLeaders(subject: Int, pool: [Int], wanted: Int) -> [Int] {
            var pool = pool
            var tiers: [[Int]] = [[], [], [], []]
            var probed = 0
            // A lazy Fisher-Yates shuffle: only the probed prefix is shuffled, so big pools stay cheap.
            while probed < pool.count {
                let swap = probed + rng.int(below: pool.count - probed)
                pool.swapAt(probed, swap)
                let member = pool[probed]
                probed += 1
                guard isEligibleLeader(member) else { continue }
                let owned = catalog.departments[work[member].department].ownsSubject[subject]
                let expert = work[member].expertise.contains(subject)
                tiers[(owned ? 0 : 2) + (expert ? 0 : 1)].append(member)
                if tiers[0].count >= wanted { break }
                if probed >= 128 && tiers[0].count + tiers[1].count >= wanted { break }
                if probed >= 512 && tiers.reduce(0, { $0 + $1.count }) >= wanted { break }
            }
            return Array(tiers.joined().prefix(wanted))
        }

        /// Rare subjects may have too few eligible learners; a few members, ideally from a unit that owns
        /// the subject, take it up so every subject still has voices to follow.
        mutating func recruitLeaders(subject: Int, into chosen: inout [Int], wanted: Int) {
            func canJoin(_ member: Int, _ chosen: [Int], _ fallback: [Int]) -> Bool {
                isEligibleLeader(member) && work[member].subjects.count < DemoOrganizationGenerator.maxSubjects
                    && !work[member].subjects.contains(subject) && !chosen.contains(member)
                    && !fallback.contains(member)
            }
            var fallback: [Int] = []
            var probes = 0
            while chosen.count < wanted && probes < 256 {
                probes += 1
                let member = rng.int(below: count)
                guard canJoin(member, chosen, fallback) else { continue }
                if catalog.departments[work[member].department].ownsSubject[subject] {
                    work[member].subjects.append(subject)
                    chosen.append(member)
                } else if fallback.count < wanted {
                    fallback.append(member)
                }
            }
            for member in fallback where chosen.count < wanted {
                work[member].subjects.append(subject)
                chosen.append(member)
            }
            // Random probes can miss when few members qualify; a scan from a random start still finds them.
            if chosen.count < wanted {
                let start = rng.int(below: count)
                for offset in 0..<count where chosen.count < wanted {
                    let member = (start + offset) % count
                    if canJoin(member, chosen, []) {
                        work[member].subjects.append(subject)
                        chosen.append(member)
                    }
                }
            }
        }

        /// Leaders list their subjects first, plus a neighbouring subject, so their expertise is richer there.
        mutating func deepenExpertise(of index: Int) {
            let leads = leaderOf[index]
            var expertise = leads
            let neighbours = catalog.clusterSubjects[catalog.subjects[leads[0]].cluster.rawValue]
            if neighbours.count > 1 {
                var pick = rng.int(below: neighbours.count)
                if neighbours[pick] == leads[0] { pick = (pick + 1) % neighbours.count }
                if !expertise.contains(neighbours[pick]) { expertise.append(neighbours[pick]) }
            }
            for subject in work[index].expertise
            where !expertise.contains(subject) && expertise.count < DemoOrganizationGenerator.maxExpertise {
                expertise.append(subject)
            }
            if expertise.count > DemoOrganizationGenerator.maxExpertise {
                expertise.removeLast(expertise.count - DemoOrganizationGenerator.maxExpertise)
            }
            work[index].expertise = expertise
        }

        // MARK: Output

        mutating func draft(for index: Int) -> DemoMemberDraft {
            let member = work[index]
            let leads = leaderOf[index]
            let bio = leads.isEmpty ? memberBio(member) : leaderBio(member, leads: leads)
            return DemoMemberDraft(
                handle: member.handle,
                email: member.handle + "@" + emailDomain,
                displayName: member.givenName + " " + member.familyName,
                bio: Self.clamp(bio),
                department: catalog.departments[member.department].name,
                location: catalog.locations[member.location].name,
                jobRole: member.jobRole,
                subjects: member.subjects.map { catalog.subjects[$0].slug },
                expertise: member.expertise.map { catalog.subjects[$0].slug },
                isThoughtLeader: !leads.isEmpty)
        }

        mutating func memberBio(_ member: WorkMember) -> String {
            let role = member.jobRole
            let unit = catalog.departments[member.department].name
            let city = catalog.locations[member.location].name
            let learning = phrases(Array(member.subjects.prefix(3)))
            let helping = phrases(Array(member.expertise.prefix(2)))
            switch rng.int(below: 4) {
            case 0:
                let help = helping.isEmpty ? "" : " Happy to help with \(helping)."
                return "\(role) in \(unit), based in \(city). Learning about \(learning).\(help)"
            case 1:
                let help = helping.isEmpty ? "" : " Ask me about \(helping)."
                return "\(Self.article(for: role, capitalized: true)) \(role) on the \(unit) team in \(city), "
                    + "currently digging into \(learning).\(help)"
            case 2:
                let help = helping.isEmpty ? "" : " I can help with \(helping)."
                return "\(role), \(unit), \(city). Interested in \(learning).\(help)"
            default:
                let help = helping.isEmpty ? "" : "; colleagues come to me for \(helping)"
                return "Part of \(unit) in \(city), working as \(Self.article(for: role, capitalized: false)) "
                    + "\(role). Keen to learn more about \(learning)\(help)."
            }
        }

        mutating func leaderBio(_ member: WorkMember, leads: [Int]) -> String {
            let role = member.jobRole
            let unit = catalog.departments[member.department].name
            let city = catalog.locations[member.location].name
            let topics = phrases(leads)
            let others = member.subjects.filter { !leads.contains($0) }.prefix(2)
            let alsoLearning = others.isEmpty ? "" : " Also learning about \(phrases(Array(others)))."
            let onIt = leads.count == 1 ? "on it" : "on these topics"
            switch rng.int(below: 3) {
            case 0:
                return "\(role) in \(unit) (\(city)) who writes and speaks about \(topics) across the organization."
                    + alsoLearning
            case 1:
                return "Writes regularly about \(topics) and runs internal sessions \(onIt) for colleagues well "
                    + "beyond \(unit). \(role), based in \(city)."
            default:
                return "Known across the company for practical talks and posts on \(topics). "
                    + "\(Self.article(for: role, capitalized: true)) \(role) in \(unit), \(city)." + alsoLearning
            }
        }

        func phrases(_ subjects: [Int]) -> String {
            let words = subjects.map { catalog.subjects[$0].phrase }
            switch words.count {
            case 0: return ""
            case 1: return words[0]
            default: return words.dropLast().joined(separator: ", ") + " and " + words[words.count - 1]
            }
        }

        static func article(for role: String, capitalized: Bool) -> String {
            // "U" is left out on purpose: roles such as "User Researcher" take "a".
            let vowel = role.first.map { "AEIOaeio".contains($0) } ?? false
            switch (vowel, capitalized) {
            case (true, true): return "An"
            case (true, false): return "an"
            case (false, true): return "A"
            case (false, false): return "a"
            }
        }

        static func clamp(_ bio: String) -> String {
            guard bio.count > DemoOrganizationGenerator.maxBioLength else { return bio }
            var cut = String(bio.prefix(DemoOrganizationGenerator.maxBioLength - 1))
            if let space = cut.lastIndex(of: " ") { cut = String(cut[..<space]) }
            return cut + "…"
        }
    }
}

// MARK: - Randomness

extension DemoOrganizationGenerator {

}

// MARK: - Catalog

extension DemoOrganizationGenerator {
    private enum Cluster: Int, CaseIterable {
        case people, technology, waysOfWorking, commercial, operations, finance, planet
    }

    private struct Subject {
        let slug: String
        let phrase: String
        let cluster: Cluster
    }

    private struct Location {
        let name: String
        let weight: Double
    }

    private struct Department {
        let name: String
        let roles: [String]
        let roleTable: WeightedTable
        let subjects: [Int]
        let subjectTable: WeightedTable
        let ownsSubject: [Bool]
        let crossRoleShare: Double
        let hubs: [Int]
        let hubShare: Double
    }

    private struct CrossRole {
        let title: String
        let subjects: [Int]
    }

    private struct Catalog {
        let subjects: [Subject]
        let subjectTable: WeightedTable
        let clusterSubjects: [[Int]]
        let locations: [Location]
        let locationTable: WeightedTable
        let departments: [Department]
        let departmentTable: WeightedTable
        let crossRoles: [CrossRole]
        let crossRoleTable: WeightedTable
        let subjectCountTable: WeightedTable
        let expertiseCountTable: WeightedTable
        let givenNames: [String]
        let familyNames: [String]
    }

    private static let catalog: Catalog = makeCatalog()

    private static func makeCatalog() -> Catalog {
        // Ordered from most to least popular across the organization; the order drives the Zipf weights.
        let subjects: [Subject] = [
            Subject(slug: "leadership", phrase: "leadership", cluster: .people),
            Subject(slug: "data-analytics", phrase: "data analytics", cluster: .technology),
            Subject(slug: "communication", phrase: "communication", cluster: .people),
            Subject(slug: "project-management", phrase: "project management", cluster: .waysOfWorking),
            Subject(slug: "artificial-intelligence", phrase: "AI", cluster: .technology),
            Subject(slug: "customer-experience", phrase: "customer experience", cluster: .commercial),
            Subject(slug: "coaching", phrase: "coaching", cluster: .people),
            Subject(slug: "change-management", phrase: "change management", cluster: .waysOfWorking),
            Subject(slug: "wellbeing", phrase: "wellbeing", cluster: .people),
            Subject(slug: "agile", phrase: "agile ways of working", cluster: .waysOfWorking),
            Subject(slug: "sustainability", phrase: "sustainability", cluster: .planet),
            Subject(slug: "diversity-inclusion", phrase: "diversity and inclusion", cluster: .people),
            Subject(slug: "presentation-skills", phrase: "presentation skills", cluster: .commercial),
            Subject(slug: "cybersecurity", phrase: "cybersecurity", cluster: .technology),
            Subject(slug: "lean", phrase: "lean", cluster: .operations),
            Subject(slug: "excel", phrase: "Excel", cluster: .technology),
            Subject(slug: "negotiation", phrase: "negotiation", cluster: .commercial),
            Subject(slug: "digital-marketing", phrase: "digital marketing", cluster: .commercial),
            Subject(slug: "innovation", phrase: "innovation", cluster: .waysOfWorking),
            Subject(slug: "financial-management", phrase: "financial management", cluster: .finance),
            Subject(slug: "storytelling", phrase: "storytelling", cluster: .commercial),
            Subject(slug: "forecasting", phrase: "forecasting", cluster: .operations),
            Subject(slug: "supply-chain", phrase: "supply chain", cluster: .operations),
            Subject(slug: "software-engineering", phrase: "software engineering", cluster: .technology),
            Subject(slug: "cloud-computing", phrase: "cloud computing", cluster: .technology),
            Subject(slug: "product-management", phrase: "product management", cluster: .waysOfWorking),
            Subject(slug: "health-safety", phrase: "health and safety", cluster: .operations),
            Subject(slug: "mentoring", phrase: "mentoring", cluster: .people),
            Subject(slug: "strategy", phrase: "strategy", cluster: .waysOfWorking),
            Subject(slug: "talent-development", phrase: "talent development", cluster: .people),
            Subject(slug: "design-thinking", phrase: "design thinking", cluster: .waysOfWorking),
            Subject(slug: "machine-learning", phrase: "machine learning", cluster: .technology),
            Subject(slug: "quality-management", phrase: "quality management", cluster: .operations),
            Subject(slug: "continuous-improvement", phrase: "continuous improvement", cluster: .operations),
            Subject(slug: "sales-techniques", phrase: "sales techniques", cluster: .commercial),
            Subject(slug: "business-writing", phrase: "business writing", cluster: .commercial),
            Subject(slug: "facilitation", phrase: "facilitation", cluster: .people),
            Subject(slug: "data-privacy", phrase: "data privacy", cluster: .finance),
            Subject(slug: "hybrid-work", phrase: "hybrid work", cluster: .people),
            Subject(slug: "ux-design", phrase: "UX design", cluster: .technology),
            Subject(slug: "logistics", phrase: "logistics", cluster: .operations),
            Subject(slug: "procurement", phrase: "procurement", cluster: .operations),
            Subject(slug: "compliance", phrase: "compliance", cluster: .finance),
            Subject(slug: "risk-management", phrase: "risk management", cluster: .finance),
            Subject(slug: "onboarding", phrase: "onboarding", cluster: .people),
            Subject(slug: "brand-management", phrase: "brand management", cluster: .commercial),
            Subject(slug: "content-strategy", phrase: "content strategy", cluster: .commercial),
            Subject(slug: "crm", phrase: "CRM", cluster: .commercial),
            Subject(slug: "devops", phrase: "DevOps", cluster: .technology),
            Subject(slug: "accessibility", phrase: "accessibility", cluster: .technology),
            Subject(slug: "pricing", phrase: "pricing", cluster: .commercial),
            Subject(slug: "knowledge-management", phrase: "knowledge management", cluster: .waysOfWorking),
            Subject(slug: "esg-reporting", phrase: "ESG reporting", cluster: .planet),
            Subject(slug: "employer-branding", phrase: "employer branding", cluster: .people),
            Subject(slug: "energy-transition", phrase: "the energy transition", cluster: .planet),
            Subject(slug: "industrial-automation", phrase: "industrial automation", cluster: .operations),
            Subject(slug: "contract-law", phrase: "contract law", cluster: .finance),
            Subject(slug: "tax", phrase: "tax", cluster: .finance),
            Subject(slug: "intellectual-property", phrase: "intellectual property", cluster: .finance),
            Subject(slug: "payroll", phrase: "payroll", cluster: .finance),
        ]
        var subjectIndex: [String: Int] = [:]
        for (index, subject) in subjects.enumerated() {
            precondition(subjectIndex.updateValue(index, forKey: subject.slug) == nil, "duplicate subject")
        }
        func resolve(_ slugs: [String]) -> [Int] {
            slugs.map { slug in
                guard let index = subjectIndex[slug] else { preconditionFailure("unknown subject \(slug)") }
                return index
            }
        }
        var clusterSubjects = Array(repeating: [Int](), count: Cluster.allCases.count)
        for (index, subject) in subjects.enumerated() { clusterSubjects[subject.cluster.rawValue].append(index) }

        let locations: [Location] = [
            Location(name: "London", weight: 14),
            Location(name: "Chicago", weight: 12),
            Location(name: "Rotterdam", weight: 9),
            Location(name: "Bengaluru", weight: 9),
            Location(name: "Singapore", weight: 7),
            Location(name: "São Paulo", weight: 6),
            Location(name: "Toronto", weight: 5),
            Location(name: "Manila", weight: 5),
            Location(name: "Warsaw", weight: 4),
            Location(name: "Mexico City", weight: 4),
            Location(name: "Johannesburg", weight: 3),
            Location(name: "Lyon", weight: 3),
            Location(name: "Sydney", weight: 2.5),
            Location(name: "Nairobi", weight: 2),
            Location(name: "Dublin", weight: 2),
            Location(name: "Austin", weight: 1.5),
            Location(name: "Dubai", weight: 1),
        ]
        func place(_ names: [String]) -> [Int] {
            names.map { name in
                guard let index = locations.firstIndex(where: { $0.name == name }) else {
                    preconditionFailure("unknown location \(name)")
                }
                return index
            }
        }

        func department(
            _ name: String, roles: [String], subjects slugs: [String], crossRoleShare: Double,
            hubs: [String] = [], hubShare: Double = 0
        ) -> Department {
            let owned = resolve(slugs)
            var ownsSubject = Array(repeating: false, count: subjects.count)
            for subject in owned { ownsSubject[subject] = true }
            return Department(
                name: name, roles: roles,
                // The first roles and subjects listed are the most typical for the unit.
                roleTable: WeightedTable.zipf(count: roles.count, exponent: 0.8),
                subjects: owned, subjectTable: WeightedTable.zipf(count: owned.count, exponent: 0.6),
                ownsSubject: ownsSubject, crossRoleShare: crossRoleShare, hubs: place(hubs), hubShare: hubShare)
        }

        let departmentsWithWeights: [(Department, Double)] = [
            (department(
                "Operations",
                roles: ["Operations Coordinator", "Process Specialist", "Shift Supervisor", "Operations Analyst",
                        "Facilities Coordinator", "Operations Planner", "Site Administrator"],
                subjects: ["lean", "continuous-improvement", "health-safety", "project-management",
                           "quality-management", "data-analytics", "change-management"],
                crossRoleShare: 0.25), 22),
            (department(
                "Sales",
                roles: ["Account Executive", "Sales Representative", "Key Account Manager",
                        "Sales Development Representative", "Inside Sales Specialist", "Solutions Consultant",
                        "Sales Operations Analyst"],
                subjects: ["sales-techniques", "negotiation", "customer-experience", "crm", "pricing",
                           "presentation-skills", "storytelling"],
                crossRoleShare: 0.2), 16),
            (department(
                "Customer Service",
                roles: ["Customer Service Agent", "Support Specialist", "Customer Success Manager",
                        "Escalation Specialist", "Quality Coach", "Workforce Planner"],
                subjects: ["customer-experience", "communication", "wellbeing", "crm", "coaching",
                           "knowledge-management"],
                crossRoleShare: 0.25, hubs: ["Manila", "Bengaluru", "Johannesburg"], hubShare: 0.6), 11),
            (department(
                "Engineering",
                roles: ["Software Engineer", "Senior Software Engineer", "Site Reliability Engineer",
                        "Data Engineer", "QA Engineer", "Solutions Architect", "Mobile Developer"],
                subjects: ["software-engineering", "cloud-computing", "devops", "agile", "machine-learning",
                           "cybersecurity", "artificial-intelligence", "accessibility"],
                crossRoleShare: 0.12, hubs: ["Bengaluru", "Austin", "Warsaw"], hubShare: 0.45), 10),
            (department(
                "Manufacturing",
                roles: ["Production Operator", "Process Engineer", "Maintenance Technician", "Production Planner",
                        "Quality Inspector", "Plant Engineer"],
                subjects: ["continuous-improvement", "lean", "health-safety", "quality-management",
                           "industrial-automation", "energy-transition"],
                crossRoleShare: 0.25, hubs: ["Warsaw", "Mexico City", "Lyon"], hubShare: 0.6), 8),
            (department(
                "Supply Chain",
                roles: ["Demand Planner", "Logistics Coordinator", "Buyer", "Supply Planner",
                        "Warehouse Supervisor", "Transport Planner", "Category Manager"],
                subjects: ["supply-chain", "logistics", "forecasting", "procurement", "data-analytics",
                           "sustainability", "negotiation"],
                crossRoleShare: 0.18, hubs: ["Rotterdam", "Singapore"], hubShare: 0.5), 7),
            (department(
                "IT",
                roles: ["Service Desk Analyst", "Systems Administrator", "Security Analyst", "Business Analyst",
                        "Cloud Engineer", "Network Engineer"],
                subjects: ["cybersecurity", "cloud-computing", "data-privacy", "devops", "project-management",
                           "artificial-intelligence"],
                crossRoleShare: 0.12, hubs: ["Bengaluru", "Warsaw", "Dublin"], hubShare: 0.4), 6),
            (department(
                "Marketing",
                roles: ["Marketing Specialist", "Digital Marketing Specialist", "Content Strategist",
                        "Brand Manager", "Marketing Analyst", "Communications Advisor", "Events Coordinator"],
                subjects: ["digital-marketing", "brand-management", "content-strategy", "storytelling",
                           "data-analytics", "design-thinking", "employer-branding"],
                crossRoleShare: 0.12), 5),
            (department(
                "Finance",
                roles: ["Financial Analyst", "Accountant", "Controller", "Accounts Payable Specialist",
                        "Treasury Analyst", "Tax Advisor", "Payroll Specialist"],
                subjects: ["financial-management", "forecasting", "excel", "risk-management", "compliance",
                           "tax", "esg-reporting", "payroll"],
                crossRoleShare: 0.12, hubs: ["London", "Chicago"], hubShare: 0.4), 4.5),
            (department(
                "Human Resources",
                roles: ["People Partner", "Recruiter", "Learning Specialist", "Talent Acquisition Lead",
                        "Compensation Analyst", "People Operations Coordinator"],
                subjects: ["talent-development", "onboarding", "diversity-inclusion", "wellbeing", "coaching",
                           "employer-branding", "mentoring", "hybrid-work", "facilitation"],
                crossRoleShare: 0.12), 3.5),
            (department(
                "Product",
                roles: ["Product Manager", "Product Owner", "Product Designer", "User Researcher",
                        "Product Analyst"],
                subjects: ["product-management", "ux-design", "design-thinking", "agile", "data-analytics",
                           "accessibility", "innovation"],
                crossRoleShare: 0.1), 3),
            (department(
                "Quality & Safety",
                roles: ["Quality Engineer", "Safety Advisor", "Auditor", "Environmental Specialist",
                        "Quality Assurance Specialist"],
                subjects: ["quality-management", "health-safety", "compliance", "risk-management",
                           "sustainability", "esg-reporting"],
                crossRoleShare: 0.15), 2.5),
            (department(
                "Strategy & Transformation",
                roles: ["Strategy Analyst", "Transformation Lead", "Change Manager", "Business Consultant",
                        "Innovation Manager"],
                subjects: ["strategy", "change-management", "innovation", "design-thinking", "facilitation",
                           "energy-transition", "knowledge-management"],
                crossRoleShare: 0.1, hubs: ["London"], hubShare: 0.5), 1.5),
            (department(
                "Legal",
                roles: ["Legal Counsel", "Paralegal", "Contract Manager", "Privacy Officer", "Compliance Counsel"],
                subjects: ["contract-law", "compliance", "data-privacy", "intellectual-property",
                           "risk-management", "negotiation", "business-writing"],
                crossRoleShare: 0.08, hubs: ["London"], hubShare: 0.6), 0.8),
        ]

        let crossRolesWithWeights: [(CrossRole, Double)] = [
            (CrossRole(title: "Team Lead",
                       subjects: resolve(["leadership", "coaching", "communication", "facilitation"])), 40),
            (CrossRole(title: "Front-line Manager",
                       subjects: resolve(["leadership", "coaching", "wellbeing", "change-management",
                                          "communication"])), 30),
            (CrossRole(title: "Department Manager",
                       subjects: resolve(["leadership", "strategy", "change-management", "talent-development",
                                          "financial-management"])), 16),
            (CrossRole(title: "Director",
                       subjects: resolve(["strategy", "leadership", "change-management", "innovation"])), 7),
            (CrossRole(title: "Graduate Trainee",
                       subjects: resolve(["communication", "excel", "presentation-skills", "business-writing",
                                          "mentoring"])), 7),
        ]

        // Drawn from many cultures and paired independently, as in a multinational workforce; ASCII spellings
        // keep handles readable without transliteration.
        let givenNames = [
            "Amara", "Chidi", "Ngozi", "Kwame", "Abena", "Kofi", "Zanele", "Thabo", "Sipho", "Lerato",
            "Wanjiru", "Fatoumata", "Moussa", "Aminata", "Tendai", "Nia", "Femi", "Yetunde", "Kagiso", "Esi",
            "Omar", "Layla", "Youssef", "Fatima", "Karim", "Nour", "Hassan", "Rania", "Samir", "Leila",
            "Tariq", "Yasmin", "Ahmed", "Mariam",
            "Priya", "Arjun", "Ananya", "Rahul", "Deepika", "Vikram", "Sanjay", "Kavya", "Aarav", "Meera",
            "Rohan", "Nikhil", "Sunita", "Imran", "Ayesha", "Farhan", "Anjali", "Ravi",
            "Wei", "Mei", "Jun", "Hiroshi", "Yuki", "Haruto", "Sakura", "Minjun", "Jiwoo", "Seoyeon", "Hana",
            "Kenji", "Xin", "Jing", "Hao", "Takeshi", "Aiko",
            "Linh", "Minh", "Thanh", "Siti", "Nurul", "Putri", "Budi", "Rizal", "Aroha", "Tane", "Leilani",
            "Kai",
            "Sofia", "Mateo", "Valentina", "Santiago", "Camila", "Diego", "Lucia", "Javier", "Isabela",
            "Gabriel", "Carmen", "Pablo", "Ana", "Luis", "Rafael", "Beatriz", "Joao", "Marta", "Jose", "Maria",
            "Emma", "Liam", "Olivia", "Noah", "Charlotte", "James", "Hannah", "Lukas", "Sophie", "Jan", "Anna",
            "Pieter", "Sanne", "Lars", "Ingrid", "Erik", "Freya", "Mikkel", "Aino", "Matti", "Elena", "Marco",
            "Giulia", "Luca", "Francesca", "Pierre", "Camille", "Julien", "Chloe", "Mathilde", "Klaus", "Greta",
            "Katarzyna", "Piotr", "Tomasz", "Agnieszka", "Dmitri", "Olga", "Natalia", "Nikos", "Eleni",
            "Siobhan", "Niamh", "Declan", "Aoife", "Rhys", "Callum",
            "Michael", "Jessica", "Tyler", "Madison", "Jordan", "Taylor", "Marcus", "Andre", "Jamal", "Keisha",
            "Aaliyah",
            "Mehmet", "Elif", "Emre", "Zeynep", "Reza", "Shirin", "Arash", "Noa", "Tamar", "Eitan", "Avi",
        ]

        let familyNames = [
            "Okafor", "Adeyemi", "Mensah", "Boateng", "Nkosi", "Dlamini", "Mwangi", "Otieno", "Diallo", "Traore",
            "Keita", "Moyo", "Banda", "Abebe", "Tesfaye", "Haile", "Eze", "Balogun", "Kamau", "Asante",
            "Haddad", "Khalil", "Mansour", "Nasser", "Farouk", "El-Amin", "Al-Sayed", "Rahman", "Aziz", "Hamdan",
            "Saleh", "Benali",
            "Patel", "Sharma", "Iyer", "Nair", "Reddy", "Gupta", "Singh", "Kapoor", "Mehta", "Chatterjee",
            "Banerjee", "Desai", "Joshi", "Khan", "Qureshi", "Siddiqui", "Perera", "Fernando",
            "Wang", "Zhang", "Chen", "Liu", "Huang", "Zhou", "Tanaka", "Suzuki", "Sato", "Takahashi",
            "Watanabe", "Nakamura", "Kim", "Park", "Lee", "Choi", "Jung", "Kang", "Lin", "Wu",
            "Nguyen", "Tran", "Pham", "Santos", "Reyes", "Cruz", "Bautista", "Wijaya", "Halim", "Tan", "Lim",
            "Ong",
            "Garcia", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Perez", "Sanchez", "Ramirez",
            "Torres", "Flores", "Rivera", "Gomez", "Silva", "Oliveira", "Costa", "Pereira", "Almeida",
            "Ferreira", "Carvalho",
            "Smith", "Johnson", "Brown", "Williams", "Davies", "Evans", "Murphy", "O'Brien", "Kelly", "Walsh",
            "MacLeod", "Campbell", "Muller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Van Dijk",
            "De Vries", "Jansen", "Bakker", "Visser", "Peeters", "Dubois", "Martin", "Bernard", "Lefebvre",
            "Moreau", "Rossi", "Russo", "Ferrari", "Bianchi", "Romano", "Kowalski", "Nowak", "Novak", "Horvat",
            "Petrov", "Popescu", "Papadopoulos", "Nielsen", "Hansen", "Johansson", "Lindqvist", "Virtanen",
            "Korhonen", "Szabo", "Nagy",
            "Yilmaz", "Kaya", "Demir", "Celik", "Hosseini", "Karimi", "Cohen", "Levi", "Mizrahi", "Ngata",
            "Walker", "Thompson", "Robinson", "Jackson",
        ]

        return Catalog(
            subjects: subjects,
            subjectTable: WeightedTable.zipf(count: subjects.count, exponent: 1.0),
            clusterSubjects: clusterSubjects,
            locations: locations,
            locationTable: WeightedTable(locations.map(\.weight)),
            departments: departmentsWithWeights.map(\.0),
            departmentTable: WeightedTable(departmentsWithWeights.map(\.1)),
            crossRoles: crossRolesWithWeights.map(\.0),
            crossRoleTable: WeightedTable(crossRolesWithWeights.map(\.1)),
            // Index i means i + 1 subjects: most people follow two to four.
            subjectCountTable: WeightedTable([14, 24, 26, 18, 11, 7]),
            // Index i means i areas of expertise: many claim none or one.
            expertiseCountTable: WeightedTable([30, 32, 22, 11, 5]),
            givenNames: givenNames,
            familyNames: familyNames)
    }
}
