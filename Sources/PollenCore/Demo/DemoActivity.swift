import Foundation

/// The activity of a demo organization: who follows whom, followed hashtags, posts with replies and reshares,
/// favourites — deterministic for a seed.
public struct DemoActivity: Sendable {
    /// One member following another.
    public struct Follow: Sendable, Equatable {
        /// Index, into the members given to `generate`, of the member who follows.
        public let follower: Int
        /// Index of the member who is followed; never the follower.
        public let followee: Int
        /// How long before now the follow happened.
        public let secondsAgo: Int
    }

    /// A member following a hashtag.
    public struct TagFollow: Sendable, Equatable {
        /// Index of the member who follows the hashtag.
        public let member: Int
        /// The hashtag in slug form (`[a-z0-9-]`), without `#`; one of the member's subjects.
        public let tag: String
        /// How long before now the hashtag was followed.
        public let secondsAgo: Int
    }

    /// A post, reply or reshare before it is stored.
    public struct PostDraft: Sendable, Equatable {
        /// Index into the members.
        public let author: Int
        /// Markdown, 40...600 characters, with 0...3 hashtags from the author's subjects in slug form and
        /// sometimes an `@handle` mention of someone the author follows. A reshare's body is empty (a plain
        /// reshare) or a short commentary.
        public let body: String
        /// Mostly `.organization`, about 8% `.followers` and about 1% `.mentioned` (which always mentions someone).
        public let visibility: Post.Visibility
        /// Index into the posts of the post this one replies to; always an earlier index.
        public let replyTo: Int?
        /// Index into the posts of the post this one reshares: earlier, `.organization` and not itself a reshare.
        public let reshareOf: Int?
        /// Indexes of the members whose `@handle` appears in `body`.
        public let mentions: [Int]
        /// How long before now the post was written: within the last 90 days, and always less than the post it
        /// replies to or reshares.
        public let secondsAgo: Int
    }

    /// A member marking a post as a favourite.
    public struct Favourite: Sendable, Equatable {
        /// Index of the member; never the post's author.
        public let member: Int
        /// Index into the posts.
        public let post: Int
        /// How long before now the favourite was given; never before the post was written.
        public let secondsAgo: Int
    }

    /// Every follow, grouped by follower.
    public let follows: [Follow]
    /// Every followed hashtag, grouped by member.
    public let tagFollows: [TagFollow]
    /// Every post, oldest first.
    public let posts: [PostDraft]
    /// Every favourite, grouped by post.
    public let favourites: [Favourite]

    /// `followsPerMember` and `postsPerMember` are averages; the distributions around them are heavy-tailed.
    public static func generate(members: [DemoMemberDraft], seed: UInt64, followsPerMember: Double = 50,
                                postsPerMember: Double = 20, favouritesPerPost: Double = 1.5) -> DemoActivity
    {
        guard !members.isEmpty else { return DemoActivity(follows: [], tagFollows: [], posts: [], favourites: []) }
        var builder = Builder(members: members, seed: seed)
        let follows = builder.makeFollows(perMember: followsPerMember)
        let tagFollows = builder.makeTagFollows()
        let posts = builder.makePosts(perMember: postsPerMember)
        let favourites = builder.makeFavourites(posts: posts, perPost: favouritesPerPost)
        return DemoActivity(follows: follows, tagFollows: tagFollows, posts: posts, favourites: favourites)
    }
}

// MARK: - Generation

extension DemoActivity {
    private static let day = 86_400
    private static let postHorizon = 90 * day
    private static let followHorizon = 365 * day
    private static let maxBodyLength = 600
    private static let maxFollows = 1_000
    private static let minFollows = 3
    private static let subjectRingSize = 64
    private static let globalRingSize = 512

    private static let organization: UInt8 = 0
    private static let followersOnly: UInt8 = 1
    private static let mentionedOnly: UInt8 = 2
    private static let visibilities: [Post.Visibility] = [.organization, .followers, .mentioned]

    private static let original: UInt8 = 0
    private static let reply: UInt8 = 1
    private static let reshare: UInt8 = 2

    /// Member indexes grouped (by department, by subject), each group with running totals of a weight so a member
    /// can be drawn in proportion to it by binary search.
    private typealias Random = DemoRandom
    private typealias WeightedTable = DemoWeightedTable

    private struct Pool {
        private var items: [Int32] = []
        private var cumulative: [Double] = []
        private var starts: [Int] = [0]

        init(groups: [[Int32]], weight: (Int) -> Double) {
            let total = groups.reduce(0) { $0 + $1.count }
            items.reserveCapacity(total)
            cumulative.reserveCapacity(total)
            starts.reserveCapacity(groups.count + 1)
            for group in groups {
                var running = 0.0
                for member in group {
                    running += weight(Int(member))
                    items.append(member)
                    cumulative.append(running)
                }
                starts.append(items.count)
            }
        }

        /// A member of `group` drawn by weight, or -1 when the group is empty.
        func pick(_ group: Int, _ rng: inout Random) -> Int {
            let lower = starts[group]
            let upper = starts[group + 1]
            guard lower < upper else { return -1 }
            let target = rng.unit() * cumulative[upper - 1]
            var low = lower
            var high = upper - 1
            while low < high {
                let mid = (low + high) >> 1
                if cumulative[mid] > target { high = mid } else { low = mid + 1 }
            }
            return Int(items[low])
        }
    }

    /// What later posts need to know about an earlier one, packed together so a lookup touches one cache line.
    private struct PostInfo {
        var author: Int32
        var ago: Int32
        var previousByAuthor: Int32 = -1
        var subject: Int32 = -1
        var kind: UInt8 = 0
        var visibility: UInt8 = 0
    }

    private struct Builder {
        let members: [DemoMemberDraft]
        let count: Int
        let seed: UInt64

        // Subjects get small local ids in the order they are met; each maps to a content entry.
        var subjectSlugs: [String] = []
        var subjectContent: [Int] = []
        var subjectTaggable: [Bool] = []
        var contents: [SubjectContent] = DemoActivity.contents
        var subjectStart: [Int] = [0]
        var subjectIDs: [Int32] = []
        var expertiseStart: [Int] = [0]
        var expertiseIDs: [Int32] = []
        var department: [Int32] = []
        var departmentNames: [String] = []
        var location: [Int32] = []
        var locationNames: [String] = []
        var isLeader: [Bool] = []
        var leaders: [[Int32]] = []
        var departmentPool: Pool
        var subjectPool: Pool
        var expertPool: Pool

        var followStart: [Int] = [0]
        var followees: [Int32] = []

        var postInfo: [PostInfo] = []
        var lastPost: [Int32] = []
        var subjectRing: [Int32] = []
        var subjectRingCount: [Int] = []
        var globalRing: [Int32] = []
        var globalRingCount = 0
        var reshared: Set<UInt64> = []
        var tagBuffer: [Int32] = []

        init(members: [DemoMemberDraft], seed: UInt64) {
            self.members = members
            self.count = members.count
            self.seed = seed
            var rng = Random(seed: seed, stream: 1)

            var slugIDs: [String: Int32] = [:]
            var departmentIDs: [String: Int32] = [:]
            var departmentNames: [String] = []
            var locationIDs: [String: Int32] = [:]
            var locationNames: [String] = []
            var location: [Int32] = []
            var slugs: [String] = []
            var contentOf: [Int] = []
            var extraContents: [SubjectContent] = []
            func subjectID(_ slug: String) -> Int32 {
                if let id = slugIDs[slug] { return id }
                let id = Int32(slugs.count)
                slugIDs[slug] = id
                slugs.append(slug)
                if let known = DemoActivity.contentIndex[slug] {
                    contentOf.append(known)
                } else {
                    contentOf.append(DemoActivity.contents.count + extraContents.count)
                    extraContents.append(SubjectContent.fallback(slug: slug))
                }
                return id
            }

            var subjectStart = [0]
            var subjectIDs: [Int32] = []
            var expertiseStart = [0]
            var expertiseIDs: [Int32] = []
            var department: [Int32] = []
            var isLeader: [Bool] = []
            var fitness: [Double] = []
            subjectStart.reserveCapacity(members.count + 1)
            expertiseStart.reserveCapacity(members.count + 1)
            subjectIDs.reserveCapacity(members.count * 4)
            department.reserveCapacity(members.count)
            isLeader.reserveCapacity(members.count)
            fitness.reserveCapacity(members.count)
            for member in members {
                for slug in member.subjects { subjectIDs.append(subjectID(slug)) }
                subjectStart.append(subjectIDs.count)
                for slug in member.expertise { expertiseIDs.append(subjectID(slug)) }
                expertiseStart.append(expertiseIDs.count)
                let unit: Int32
                if let known = departmentIDs[member.department] {
                    unit = known
                } else {
                    unit = Int32(departmentNames.count)
                    departmentIDs[member.department] = unit
                    departmentNames.append(member.department)
                }
                department.append(unit)
                let city: Int32
                if let known = locationIDs[member.location] {
                    city = known
                } else {
                    city = Int32(locationNames.count)
                    locationIDs[member.location] = city
                    locationNames.append(member.location)
                }
                location.append(city)
                isLeader.append(member.isThoughtLeader)
                // A heavy-tailed appeal makes a few members in every unit and subject draw most of its follows;
                // recognised voices and people who list expertise draw more still.
                var appeal = exp(1.1 * rng.normal())
                if member.isThoughtLeader { appeal *= 30 }
                if !member.expertise.isEmpty { appeal *= 1.5 }
                fitness.append(appeal)
            }

            let subjectCount = slugs.count
            var byDepartment = Array(repeating: [Int32](), count: departmentNames.count)
            var bySubject = Array(repeating: [Int32](), count: subjectCount)
            var byExpertise = Array(repeating: [Int32](), count: subjectCount)
            var leaders = Array(repeating: [Int32](), count: subjectCount)
            for index in 0..<members.count {
                let member = Int32(index)
                byDepartment[Int(department[index])].append(member)
                for offset in subjectStart[index]..<subjectStart[index + 1] {
                    bySubject[Int(subjectIDs[offset])].append(member)
                }
                let expertise = expertiseStart[index]..<expertiseStart[index + 1]
                for offset in expertise { byExpertise[Int(expertiseIDs[offset])].append(member) }
                // The generator lists the subjects a thought leader is known for first in their expertise.
                if isLeader[index] {
                    for offset in expertise.prefix(2) { leaders[Int(expertiseIDs[offset])].append(member) }
                }
            }

            self.subjectSlugs = slugs
            self.subjectContent = contentOf
            self.subjectTaggable = slugs.map(DemoActivity.isTaggable)
            self.subjectStart = subjectStart
            self.subjectIDs = subjectIDs
            self.expertiseStart = expertiseStart
            self.expertiseIDs = expertiseIDs
            self.department = department
            self.departmentNames = departmentNames
            self.location = location
            self.locationNames = locationNames
            self.isLeader = isLeader
            self.leaders = leaders
            self.departmentPool = Pool(groups: byDepartment) { fitness[$0] }
            self.subjectPool = Pool(groups: bySubject) { fitness[$0] }
            self.expertPool = Pool(groups: byExpertise) { fitness[$0] }
            self.contents.append(contentsOf: extraContents)
        }

        // MARK: Follows

        mutating func makeFollows(perMember: Double) -> [Follow] {
            var rng = Random(seed: seed, stream: 2)
            let most = min(DemoActivity.maxFollows, count - 1)
            guard most > 0, perMember > 0 else {
                followStart = Array(repeating: 0, count: count + 1)
                return []
            }
            var appetite: [Double] = []
            appetite.reserveCapacity(count)
            for member in 0..<count { appetite.append(exp(1.0 * rng.normal()) * (isLeader[member] ? 1.5 : 1)) }
            let targets = DemoActivity.heavyTailedCounts(
                appetite, mean: perMember, least: min(DemoActivity.minFollows, most), most: most, rng: &rng)
            let total = targets.reduce(0, +)

            followStart = [0]
            followStart.reserveCapacity(count + 1)
            followees = []
            followees.reserveCapacity(total)
            var follows: [Follow] = []
            follows.reserveCapacity(total)
            // stamp[x] == m while generating m's follows means m already follows x (or x is m).
            var stamp = [Int32](repeating: -1, count: count)
            for member in 0..<count {
                let me = Int32(member)
                stamp[member] = me
                let target = targets[member]
                var made = 0
                var failures = 0
                while made < target {
                    var candidate = followeeCandidate(for: member, failures: failures, rng: &rng)
                    if candidate < 0 || stamp[candidate] == me {
                        failures += 1
                        guard failures > 24 else { continue }
                        // Random probes stall once a member already follows most of a small organization.
                        candidate = -1
                        let start = rng.int(below: count)
                        for offset in 0..<count {
                            let other = (start + offset) % count
                            if stamp[other] != me {
                                candidate = other
                                break
                            }
                        }
                        if candidate < 0 { break }
                    }
                    stamp[candidate] = me
                    followees.append(Int32(candidate))
                    // Follows skew old: most of a network is built before the last few weeks.
                    let ago = Int(Double(DemoActivity.followHorizon) * pow(rng.unit(), 0.6))
                    follows.append(Follow(follower: member, followee: candidate, secondsAgo: ago))
                    made += 1
                    failures = 0
                }
                followStart.append(followees.count)
            }
            return follows
        }

        /// About 45% same unit, 25% a shared subject, 15% voices of the member's subjects, 15% anyone, preferably
        /// in another unit; -1 when the chosen group is empty.
        func followeeCandidate(for member: Int, failures: Int, rng: inout Random) -> Int {
            let roll = failures >= 8 ? 1.0 : rng.unit()
            if roll < 0.45 { return departmentPool.pick(Int(department[member]), &rng) }
            let lower = subjectStart[member]
            let upper = subjectStart[member + 1]
            if roll < 0.85 && lower < upper {
                let subject = Int(subjectIDs[lower + rng.int(below: upper - lower)])
                if roll < 0.70 { return subjectPool.pick(subject, &rng) }
                let voices = leaders[subject]
                if !voices.isEmpty && failures < 3 { return Int(voices[rng.int(below: voices.count)]) }
                // Once the few thought leaders are followed, the subject's other experts are the next best voices.
                let expert = expertPool.pick(subject, &rng)
                return expert >= 0 ? expert : subjectPool.pick(subject, &rng)
            }
            var other = -1
            for _ in 0..<3 {
                // Picking the followee of an earlier follow is preferential attachment: the popular get more popular.
                if !followees.isEmpty && rng.chance(0.6) {
                    other = Int(followees[rng.int(below: followees.count)])
                } else {
                    other = rng.int(below: count)
                }
                // This share is for ties across units; the unit's own share is drawn above.
                if department[other] != department[member] { break }
            }
            return other
        }

        // MARK: Hashtags

        func makeTagFollows() -> [TagFollow] {
            var rng = Random(seed: seed, stream: 3)
            var result: [TagFollow] = []
            result.reserveCapacity(count * 2)
            var candidates: [Int32] = []
            for member in 0..<count {
                let wanted = DemoActivity.tagFollowCounts.pick(&rng)
                guard wanted > 0 else { continue }
                candidates.removeAll(keepingCapacity: true)
                for offset in subjectStart[member]..<subjectStart[member + 1]
                where subjectTaggable[Int(subjectIDs[offset])] && !candidates.contains(subjectIDs[offset]) {
                    candidates.append(subjectIDs[offset])
                }
                let take = min(wanted, candidates.count)
                for index in 0..<take {
                    candidates.swapAt(index, index + rng.int(below: candidates.count - index))
                    let ago = Int(Double(DemoActivity.followHorizon) * pow(rng.unit(), 0.6))
                    result.append(TagFollow(member: member, tag: subjectSlugs[Int(candidates[index])], secondsAgo: ago))
                }
            }
            return result
        }

        // MARK: Posts

        mutating func makePosts(perMember: Double) -> [PostDraft] {
            var rng = Random(seed: seed, stream: 4)
            guard perMember > 0 else { return [] }
            var appetite: [Double] = []
            appetite.reserveCapacity(count)
            for member in 0..<count {
                if isLeader[member] {
                    appetite.append(6 * exp(0.8 * rng.normal()))
                } else if rng.chance(0.25) {
                    // Lurkers: most people in an enterprise network read far more than they write.
                    appetite.append(0)
                } else {
                    var weight = exp(1.4 * rng.normal())
                    if rng.chance(0.03) { weight *= 6 }
                    appetite.append(weight)
                }
            }
            let most = min(5_000, max(10, Int((perMember * 60).rounded())))
            let perAuthor = DemoActivity.heavyTailedCounts(appetite, mean: perMember, least: 1, most: most, rng: &rng)
            let total = perAuthor.reduce(0, +)
            guard total > 0 else { return [] }

            var authors: [Int32] = []
            authors.reserveCapacity(total)
            for (member, posts) in perAuthor.enumerated() where posts > 0 {
                authors.append(contentsOf: repeatElement(Int32(member), count: posts))
            }
            for index in stride(from: total - 1, to: 0, by: -1) {
                authors.swapAt(index, rng.int(below: index + 1))
            }
            let ages = DemoActivity.descendingAges(count: total, rng: &rng)
            postInfo = []
            postInfo.reserveCapacity(total)
            for index in 0..<total { postInfo.append(PostInfo(author: authors[index], ago: ages[index])) }
            authors = []

            lastPost = Array(repeating: -1, count: count)
            subjectRing = Array(repeating: -1, count: subjectSlugs.count * DemoActivity.subjectRingSize)
            subjectRingCount = Array(repeating: 0, count: subjectSlugs.count)
            globalRing = Array(repeating: -1, count: DemoActivity.globalRingSize)
            globalRingCount = 0
            reshared = []

            var posts: [PostDraft] = []
            posts.reserveCapacity(total)
            for index in 0..<total {
                let author = Int(postInfo[index].author)
                let ago = Int(postInfo[index].ago)
                let roll = rng.unit()
                // A touch above the intended shares, as early posts and quiet corners find nothing to answer.
                var draft: PostDraft? = nil
                if roll < 0.08 {
                    let (target, _) = findTarget(author: author, ago: ago, forReshare: true, rng: &rng)
                    if target >= 0 {
                        draft = makeReshare(index: index, author: author, of: target, ago: ago, rng: &rng)
                    }
                } else if roll < 0.08 + 0.255 {
                    let (target, viaFollow) = findTarget(author: author, ago: ago, forReshare: false, rng: &rng)
                    if target >= 0 {
                        draft = makeReply(
                            index: index, author: author, to: target, viaFollow: viaFollow, ago: ago, rng: &rng)
                    }
                }
                let post = draft ?? makeOriginal(index: index, author: author, ago: ago, rng: &rng)
                posts.append(post)

                postInfo[index].previousByAuthor = lastPost[author]
                lastPost[author] = Int32(index)
                let info = postInfo[index]
                if info.kind != DemoActivity.reshare && info.visibility == DemoActivity.organization {
                    let subject = Int(info.subject)
                    if subject >= 0 {
                        let slot = subjectRingCount[subject] % DemoActivity.subjectRingSize
                        subjectRing[subject * DemoActivity.subjectRingSize + slot] = Int32(index)
                        subjectRingCount[subject] += 1
                    }
                    globalRing[globalRingCount % DemoActivity.globalRingSize] = Int32(index)
                    globalRingCount += 1
                }
            }
            return posts
        }

        /// A recent post to reply to or reshare: first from people the author follows, then from the author's
        /// subjects, then from anywhere; -1 when nothing fits.
        func findTarget(author: Int, ago: Int, forReshare: Bool, rng: inout Random) -> (post: Int, viaFollow: Bool) {
            let maxAge = (forReshare ? 30 : 14) * DemoActivity.day
            let lower = followStart[author]
            let upper = followStart[author + 1]
            if lower < upper {
                for _ in 0..<6 {
                    let followee = Int(followees[lower + rng.int(below: upper - lower)])
                    var post = Int(lastPost[followee])
                    var steps = rng.int(below: 3)
                    while steps > 0 && post >= 0 && postInfo[post].previousByAuthor >= 0 {
                        post = Int(postInfo[post].previousByAuthor)
                        steps -= 1
                    }
                    if post >= 0 && isTarget(post, author: author, ago: ago, maxAge: maxAge, forReshare: forReshare,
                                             viaFollow: true) {
                        return (post, true)
                    }
                }
            }
            let subjects = subjectStart[author]..<subjectStart[author + 1]
            if !subjects.isEmpty {
                for _ in 0..<4 {
                    let subject = Int(subjectIDs[subjects.lowerBound + rng.int(below: subjects.count)])
                    let filled = min(subjectRingCount[subject], DemoActivity.subjectRingSize)
                    guard filled > 0 else { continue }
                    let post = Int(subjectRing[subject * DemoActivity.subjectRingSize + rng.int(below: filled)])
                    if isTarget(post, author: author, ago: ago, maxAge: maxAge, forReshare: forReshare,
                                viaFollow: false) {
                        return (post, false)
                    }
                }
            }
            let filled = min(globalRingCount, DemoActivity.globalRingSize)
            if filled > 0 {
                for _ in 0..<3 {
                    let post = Int(globalRing[rng.int(below: filled)])
                    if isTarget(post, author: author, ago: ago, maxAge: maxAge, forReshare: forReshare,
                                viaFollow: false) {
                        return (post, false)
                    }
                }
            }
            return (-1, false)
        }

        func isTarget(_ post: Int, author: Int, ago: Int, maxAge: Int, forReshare: Bool, viaFollow: Bool) -> Bool {
            let info = postInfo[post]
            guard Int(info.author) != author, info.kind != DemoActivity.reshare else { return false }
            let age = Int(info.ago)
            guard age > ago, age - ago <= maxAge else { return false }
            let visibility = info.visibility
            if forReshare {
                return visibility == DemoActivity.organization
                    && !reshared.contains(UInt64(author) << 32 | UInt64(post))
            }
            // Replies go only where the replier can read: followers-only posts of people they follow.
            return visibility == DemoActivity.organization || (visibility == DemoActivity.followersOnly && viaFollow)
        }

        mutating func makeOriginal(index: Int, author: Int, ago: Int, rng: inout Random) -> PostDraft {
            let subjects = subjectStart[author]..<subjectStart[author + 1]
            let expertise = expertiseStart[author]..<expertiseStart[author + 1]
            var subject: Int32 = -1
            if isLeader[author] && !expertise.isEmpty && rng.chance(0.5) {
                subject = expertiseIDs[expertise.lowerBound]
            } else if !subjects.isEmpty {
                subject = subjectIDs[subjects.lowerBound + rng.int(below: subjects.count)]
            } else if !expertise.isEmpty {
                subject = expertiseIDs[expertise.lowerBound + rng.int(below: expertise.count)]
            }
            let content = subject >= 0 ? contents[subjectContent[Int(subject)]] : DemoActivity.general

            let following = followStart[author]..<followStart[author + 1]
            let visibilityRoll = rng.unit()
            var visibility = DemoActivity.organization
            if visibilityRoll < 0.015 && !following.isEmpty {
                visibility = DemoActivity.mentionedOnly
            } else if visibilityRoll < 0.09 {
                visibility = DemoActivity.followersOnly
            }
            var mentioned = -1
            if visibility == DemoActivity.mentionedOnly || (!following.isEmpty && rng.chance(0.12)) {
                mentioned = Int(followees[following.lowerBound + rng.int(below: following.count)])
            }

            chooseTags(author: author, first: subject, rng: &rng)
            let workplace = place(of: author)
            var text = ""
            text.reserveCapacity(360)
            var mentions: [Int] = []
            if visibility == DemoActivity.mentionedOnly {
                let handle = members[mentioned].handle
                DemoActivity.directMessage(into: &text, handle: handle, content: content, place: workplace, rng: &rng)
                mentions = [mentioned]
            } else {
                var inline = false
                if !tagBuffer.isEmpty && tagBuffer[0] == subject && rng.chance(0.6) {
                    inline = true
                    tagBuffer.removeFirst()
                }
                let phrase = inline ? "#" + subjectSlugs[Int(subject)] : content.phrase
                let (usedPhrase, tone) = DemoActivity.originalBody(
                    into: &text, content: content, phrase: phrase, place: workplace, rng: &rng)
                if inline && !usedPhrase { tagBuffer.insert(subject, at: 0) }
                if mentioned >= 0 {
                    let sentence = DemoActivity.mentionSentence(
                        handle: members[mentioned].handle, tone: tone, rng: &rng)
                    if text.utf8.count + 1 + sentence.utf8.count <= DemoActivity.maxBodyLength {
                        text += " "
                        text += sentence
                        mentions = [mentioned]
                    }
                }
            }
            appendTags(to: &text)

            postInfo[index].kind = DemoActivity.original
            postInfo[index].visibility = visibility
            postInfo[index].subject = subject
            return PostDraft(
                author: author, body: text, visibility: DemoActivity.visibilities[Int(visibility)], replyTo: nil,
                reshareOf: nil, mentions: mentions, secondsAgo: ago)
        }

        mutating func makeReply(
            index: Int, author: Int, to parent: Int, viaFollow: Bool, ago: Int, rng: inout Random
        ) -> PostDraft {
            let subject = postInfo[parent].subject
            let content = subject >= 0 ? contents[subjectContent[Int(subject)]] : DemoActivity.general
            var visibility = DemoActivity.organization
            if postInfo[parent].visibility == DemoActivity.followersOnly || rng.chance(0.03) {
                visibility = DemoActivity.followersOnly
            }
            var text = ""
            text.reserveCapacity(240)
            var mentions: [Int] = []
            let parentAuthor = Int(postInfo[parent].author)
            // Only people the replier follows are mentioned, so the parent's author only when followed.
            if viaFollow && rng.chance(0.35) {
                text += "@"
                text += members[parentAuthor].handle
                text += " "
                mentions = [parentAuthor]
            }
            DemoActivity.replyBody(into: &text, content: content, place: place(of: author), rng: &rng)

            tagBuffer.removeAll(keepingCapacity: true)
            if subject >= 0 && subjectTaggable[Int(subject)] && rng.chance(0.2) {
                let range = subjectStart[author]..<subjectStart[author + 1]
                if subjectIDs[range].contains(subject) { tagBuffer.append(subject) }
            }
            appendTags(to: &text)

            postInfo[index].kind = DemoActivity.reply
            postInfo[index].visibility = visibility
            postInfo[index].subject = subject
            return PostDraft(
                author: author, body: text, visibility: DemoActivity.visibilities[Int(visibility)], replyTo: parent,
                reshareOf: nil, mentions: mentions, secondsAgo: ago)
        }

        mutating func makeReshare(index: Int, author: Int, of target: Int, ago: Int, rng: inout Random) -> PostDraft {
            reshared.insert(UInt64(author) << 32 | UInt64(target))
            let subject = postInfo[target].subject
            var text = ""
            if rng.chance(0.4) {
                let content = subject >= 0 ? contents[subjectContent[Int(subject)]] : DemoActivity.general
                DemoActivity.reshareCommentary(into: &text, content: content, place: place(of: author), rng: &rng)
                tagBuffer.removeAll(keepingCapacity: true)
                if subject >= 0 && subjectTaggable[Int(subject)] && rng.chance(0.3) {
                    let range = subjectStart[author]..<subjectStart[author + 1]
                    if subjectIDs[range].contains(subject) { tagBuffer.append(subject) }
                }
                appendTags(to: &text)
            }
            postInfo[index].kind = DemoActivity.reshare
            postInfo[index].visibility = DemoActivity.organization
            postInfo[index].subject = subject
            return PostDraft(
                author: author, body: text, visibility: .organization, replyTo: nil, reshareOf: target, mentions: [],
                secondsAgo: ago)
        }

        func place(of member: Int) -> Place {
            Place(unit: departmentNames[Int(department[member])], city: locationNames[Int(location[member])])
        }

        /// Fills `tagBuffer` with 0...3 distinct taggable subjects of the author, `first` leading when it is one.
        mutating func chooseTags(author: Int, first: Int32, rng: inout Random) {
            tagBuffer.removeAll(keepingCapacity: true)
            let wanted = DemoActivity.hashtagCounts.pick(&rng)
            guard wanted > 0 else { return }
            let range = subjectStart[author]..<subjectStart[author + 1]
            if first >= 0 && subjectTaggable[Int(first)] && subjectIDs[range].contains(first) {
                tagBuffer.append(first)
            }
            var attempts = 0
            while tagBuffer.count < wanted && attempts < 8 && !range.isEmpty {
                attempts += 1
                let subject = subjectIDs[range.lowerBound + rng.int(below: range.count)]
                if subjectTaggable[Int(subject)] && !tagBuffer.contains(subject) { tagBuffer.append(subject) }
            }
        }

        /// Appends the hashtags in `tagBuffer` on a line of their own, or none when they would not fit.
        func appendTags(to text: inout String) {
            guard !tagBuffer.isEmpty else { return }
            var length = text.utf8.count + (text.isEmpty ? 0 : 2)
            for subject in tagBuffer { length += subjectSlugs[Int(subject)].utf8.count + 2 }
            guard length <= DemoActivity.maxBodyLength else { return }
            if !text.isEmpty { text += "\n\n" }
            for (position, subject) in tagBuffer.enumerated() {
                if position > 0 { text += " " }
                text += "#"
                text += subjectSlugs[Int(subject)]
            }
        }

        // MARK: Favourites

        func makeFavourites(posts: [PostDraft], perPost: Double) -> [Favourite] {
            var rng = Random(seed: seed, stream: 5)
            let total = posts.count
            guard total > 0, perPost > 0, count > 1 else { return [] }

            var followerStart = [Int](repeating: 0, count: count + 1)
            for followee in followees { followerStart[Int(followee) + 1] += 1 }
            for member in 0..<count { followerStart[member + 1] += followerStart[member] }
            var followers = [Int32](repeating: 0, count: followees.count)
            var cursor = followerStart
            for member in 0..<count {
                for offset in followStart[member]..<followStart[member + 1] {
                    let followee = Int(followees[offset])
                    followers[cursor[followee]] = Int32(member)
                    cursor[followee] += 1
                }
            }

            // Posts by well-followed authors collect most favourites; replies and commentary far fewer.
            var appeal = [Double](repeating: 0, count: total)
            var sum = 0.0
            for post in 0..<total {
                let kind = postInfo[post].kind
                if kind == DemoActivity.reshare && posts[post].body.isEmpty { continue }
                let author = Int(postInfo[post].author)
                let audience = Double(followerStart[author + 1] - followerStart[author])
                var weight = exp(0.8 * rng.normal()) * pow(1 + audience, 0.65)
                if kind == DemoActivity.reply { weight *= 0.3 }
                if kind == DemoActivity.reshare { weight *= 0.5 }
                appeal[post] = weight
                sum += weight
            }
            guard sum > 0 else { return [] }
            let scale = Double(total) * perPost / sum

            var result: [Favourite] = []
            result.reserveCapacity(Int(Double(total) * perPost * 1.05))
            var stamp = [Int](repeating: -1, count: count)
            for post in 0..<total where appeal[post] > 0 {
                let expected = appeal[post] * scale
                var wanted = Int(expected)
                if rng.unit() < expected - Double(wanted) { wanted += 1 }
                guard wanted > 0 else { continue }
                let info = postInfo[post]
                let author = Int(info.author)
                let ago = Int(info.ago)
                let lower = followerStart[author]
                let upper = followerStart[author + 1]
                let visibility = info.visibility
                stamp[author] = post

                if visibility == DemoActivity.mentionedOnly {
                    for member in posts[post].mentions.prefix(wanted) where stamp[member] != post {
                        stamp[member] = post
                        result.append(Favourite(member: member, post: post, secondsAgo: Self.favouriteAgo(ago, &rng)))
                    }
                    continue
                }
                if visibility == DemoActivity.followersOnly { wanted = min(wanted, upper - lower) }
                wanted = min(wanted, count - 1)
                var made = 0
                var attempts = 0
                while made < wanted && attempts < wanted * 3 + 10 {
                    attempts += 1
                    let member: Int
                    if lower < upper && (visibility == DemoActivity.followersOnly || rng.chance(0.7)) {
                        member = Int(followers[lower + rng.int(below: upper - lower)])
                    } else {
                        member = rng.int(below: count)
                    }
                    guard stamp[member] != post else { continue }
                    stamp[member] = post
                    result.append(Favourite(member: member, post: post, secondsAgo: Self.favouriteAgo(ago, &rng)))
                    made += 1
                }
            }
            return result
        }

        /// Most favourites come within hours of the post, a few days later.
        static func favouriteAgo(_ postAgo: Int, _ rng: inout Random) -> Int {
            var delay = Int(-log(1 - rng.unit()) * 6 * 3_600)
            if delay > postAgo { delay = rng.int(below: postAgo + 1) }
            return postAgo - delay
        }
    }

    // MARK: Distributions

    /// Integer counts around `mean` in proportion to heavy-tailed `weights`, each in `least...most` (a zero weight
    /// stays zero): the scale is found by bisection so clamping does not shift the mean.
    private static func heavyTailedCounts(
        _ weights: [Double], mean: Double, least: Int, most: Int, rng: inout Random
    ) -> [Int] {
        let active = weights.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        guard active > 0, most > 0 else { return Array(repeating: 0, count: weights.count) }
        let wanted = min(mean * Double(weights.count), Double(active) * Double(most))
        let lowest = Double(min(least, most))
        let highest = Double(most)
        func total(_ scale: Double) -> Double {
            var sum = 0.0
            for weight in weights where weight > 0 { sum += min(max(weight * scale, lowest), highest) }
            return sum
        }
        var low = 1e-9
        var high = 1e12
        for _ in 0..<80 {
            let mid = (low * high).squareRoot()
            if total(mid) < wanted { low = mid } else { high = mid }
        }
        let scale = (low * high).squareRoot()
        return weights.map { weight in
            guard weight > 0 else { return 0 }
            let value = min(max(weight * scale, lowest), highest)
            var whole = Int(value)
            // Stochastic rounding keeps the total on target where plain rounding would drift.
            if rng.unit() < value - Double(whole) { whole += 1 }
            return whole
        }
    }

    /// `count` post ages in seconds, oldest first, within the horizon and denser towards now as the network grows.
    private static func descendingAges(count: Int, rng: inout Random) -> [Int32] {
        // Cumulative exponential gaps give sorted uniform values without sorting.
        var gaps = [Double](repeating: 0, count: count + 1)
        var sum = 0.0
        for index in 0...count {
            let gap = -log(1 - rng.unit())
            gaps[index] = gap
            sum += gap
        }
        var ages = [Int32](repeating: 0, count: count)
        var running = 0.0
        let horizon = Double(postHorizon)
        for index in 0..<count {
            running += gaps[index]
            let age = horizon * pow(1 - running / sum, 1.25)
            ages[index] = Int32(min(max(age, 0), horizon - 1))
        }
        return ages
    }

    /// Index i means i followed hashtags.
    private static let tagFollowCounts = WeightedTable([26, 24, 20, 14, 9, 5, 2])
    /// Index i means i hashtags in a post.
    private static let hashtagCounts = WeightedTable([25, 40, 25, 10])

    /// Hashtags must read back as the same slug: `[a-z0-9-]`, not only digits, no hyphen at either end.
    private static func isTaggable(_ slug: String) -> Bool {
        let bytes = Array(slug.utf8)
        guard !bytes.isEmpty, bytes.count <= 40, bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-")
        else { return false }
        var hasLetter = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): hasLetter = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"): break
            default: return false
            }
        }
        return hasLetter
    }
}

// MARK: - Text

extension DemoActivity {
    /// Where a member works, for the text of their posts.
    private struct Place {
        let unit: String
        let city: String
    }

    /// What members write about one subject. Tips are verb phrases that read after "we", "to" or on their own.
    private final class SubjectContent: Sendable {
        let phrase: String
        let topics: [String]
        let tips: [String]
        let capitalizedTips: [String]
        let questions: [String]

        init(_ phrase: String, topics: [String], tips: [String], questions: [String]) {
            self.phrase = phrase
            self.topics = topics
            self.tips = tips
            self.capitalizedTips = tips.map { $0.prefix(1).uppercased() + $0.dropFirst() }
            self.questions = questions
        }

        /// For a subject outside the catalog; only letters, digits and spaces of the slug, so the phrase cannot
        /// smuggle in a hashtag, a mention or code.
        static func fallback(slug: String) -> SubjectContent {
            let words = slug.lowercased().map { $0.isLetter || $0.isNumber ? $0 : " " }
            let cleaned = String(words).split(separator: " ").joined(separator: " ")
            let phrase = cleaned.isEmpty ? "this topic" : String(cleaned.prefix(40))
            return SubjectContent(
                phrase,
                topics: ["the basics of \(phrase)", "\(phrase) in practice", "getting started with \(phrase)"],
                tips: DemoActivity.general.tips,
                questions: ["get started with \(phrase) without a big budget",
                            "keep learning about \(phrase) when the calendar is full"])
        }
    }

    private static func pick(_ list: [String], _ rng: inout Random) -> String { list[rng.int(below: list.count)] }

    /// What an original post does, which decides the closing lines that fit it.
    private enum Tone {
        case sharing, asking, inviting
    }

    /// Writes an original post; returns whether `phrase` (which may be an inline hashtag) made it into the text,
    /// and the post's tone.
    private static func originalBody(
        into text: inout String, content: SubjectContent, phrase: String, place: Place, rng: inout Random
    ) -> (usedPhrase: Bool, tone: Tone) {
        // Tips belong to the subject as a whole, so templates that pair a tip with a topic name the subject
        // instead; a topic alone stands in templates without a tip.
        let tip = content.tips[rng.int(below: content.tips.count)]
        var usedPhrase = true
        var tone = Tone.sharing
        var closerSeparator = " "
        switch rng.int(below: 12) {
        case 0:
            text += "Tried a new approach to "
            text += phrase
            text += " this week: we "
            text += tip
            text += ". "
            text += pick(outcomes, &rng)
        case 1:
            text += "Question for everyone working on "
            text += phrase
            text += ": how do you "
            text += pick(content.questions, &rng)
            text += "? "
            appendContext(to: &text, place: place, rng: &rng)
            tone = .asking
        case 2:
            text += "Sharing a "
            text += pick(resources, &rng)
            text += " on "
            text += phrase
            text += " that changed how I think about it. The main idea: "
            text += tip
            text += "."
        case 3:
            text += "Lesson learned from "
            appendEvent(to: &text, place: place, rng: &rng)
            text += ": "
            text += tip
            text += "."
            usedPhrase = false
        case 4:
            text += "Three things I took away from today's session on "
            text += phrase
            text += ":\n"
            let first = rng.int(below: content.capitalizedTips.count)
            for position in 0..<3 {
                text += position == 0 ? "\n1. " : position == 1 ? "\n2. " : "\n3. "
                text += content.capitalizedTips[(first + position) % content.capitalizedTips.count]
            }
            closerSeparator = "\n\n"
        case 5:
            text += "TIL: the easiest way to get better at "
            text += phrase
            text += " is to "
            text += tip
            text += ". Obvious in hindsight."
        case 6:
            text += "Looking for someone with hands-on experience of "
            text += pick(content.topics, &rng)
            text += ". "
            appendContext(to: &text, place: place, rng: &rng)
            text += " Happy to buy the coffee."
            usedPhrase = false
            tone = .asking
        case 7:
            text += "We are running a lunch-and-learn on **"
            text += pick(content.topics, &rng)
            text += "** this "
            text += pick(weekdays, &rng)
            text += " at the "
            text += place.city
            text += " office, and online for everyone else."
            usedPhrase = false
            tone = .inviting
        case 8:
            text += "If you are new to "
            text += phrase
            text += ", start with "
            text += pick(content.topics, &rng)
            text += ". My one tip: "
            text += tip
            text += "."
        case 9:
            text += "Reading up on "
            text += phrase
            text += " this week. The best advice so far: "
            text += tip
            text += "."
        case 10:
            text += "A question I keep coming back to: how do you "
            text += pick(content.questions, &rng)
            text += "?"
            usedPhrase = false
            tone = .asking
        default:
            text += "Small win in "
            text += place.unit
            text += " this week: we started to "
            text += tip
            text += ", and "
            text += pick(wins, &rng)
            usedPhrase = false
        }
        if rng.chance(0.55) {
            let closer: String
            switch tone {
            case .sharing: closer = pick(sharingClosers, &rng)
            case .asking: closer = pick(askingClosers, &rng)
            case .inviting: closer = pick(invitingClosers, &rng)
            }
            if text.utf8.count + closerSeparator.utf8.count + closer.utf8.count <= 480 {
                text += closerSeparator
                text += closer
            }
        }
        return (usedPhrase, tone)
    }

    private static func appendContext(to text: inout String, place: Place, rng: inout Random) {
        switch rng.int(below: 5) {
        case 0:
            text += "We keep going round in circles on this in "
            text += place.unit
            text += "."
        case 1: text += "I have read a few articles but would love real examples from inside the company."
        case 2:
            text += "Asking for my team in "
            text += place.city
            text += "."
        case 3: text += "Everything I find online assumes a much smaller organization."
        default:
            text += "We are about to start on this in "
            text += place.unit
            text += " and want to avoid the obvious mistakes."
        }
    }

    private static func appendEvent(to text: inout String, place: Place, rng: inout Random) {
        switch rng.int(below: 7) {
        case 0: text += "our last project review"
        case 1:
            text += "a tough quarter in "
            text += place.unit
        case 2:
            text += "a pilot we ran in "
            text += place.city
        case 3: text += "shadowing a colleague in another team"
        case 4: text += "a customer escalation last month"
        case 5: text += "a workshop that did not go to plan"
        default: text += "my first year as a manager"
        }
    }

    private static func directMessage(
        into text: inout String, handle: String, content: SubjectContent, place: Place, rng: inout Random
    ) {
        switch rng.int(below: 3) {
        case 0:
            text += "@\(handle) quick question: how do you \(pick(content.questions, &rng))? "
            text += "No rush, whenever you have a minute."
        case 1:
            text += "@\(handle) following up on our chat about \(pick(content.topics, &rng)). "
            text += "The first thing I want to try is to \(pick(content.tips, &rng)). "
            text += "Does that match what you have seen?"
        default:
            text += "@\(handle), would you be up for a short session on \(pick(content.topics, &rng)) with my team? "
            text += "We are based in \(place.city) but can do it online."
        }
    }

    private static func replyBody(
        into text: inout String, content: SubjectContent, place: Place, rng: inout Random
    ) {
        switch rng.int(below: 8) {
        case 0:
            text += "Thanks for sharing! We tried something similar in \(place.unit): "
            text += "we \(pick(content.tips, &rng))."
        case 1:
            text += "+1 to this. One thing I would add: \(pick(content.tips, &rng))."
        case 2:
            text += "Useful thread. What worked for us was to \(pick(content.tips, &rng)). "
            text += "Happy to show you how we set it up."
        case 3:
            text += "Really useful, thank you. Do you have the slides or a recording you could share?"
        case 4:
            text += "Interesting. How did you get people on board with \(pick(content.topics, &rng))? "
            text += "That is where we usually get stuck."
        case 5:
            text += "This matches what we see in \(place.city): once we started to "
            text += "\(pick(content.tips, &rng)), things got a lot easier."
        case 6:
            text += "Saving this for our next team meeting. We have not tried to \(pick(content.tips, &rng)) yet, "
            text += "but it sounds worth a go."
        default:
            text += "Not sure I agree entirely. In our experience you also need to \(pick(content.tips, &rng)), "
            text += "or it does not stick."
        }
    }

    private static func reshareCommentary(
        into text: inout String, content: SubjectContent, place: Place, rng: inout Random
    ) {
        switch rng.int(below: 5) {
        case 0: text += "Worth a read for anyone working on \(content.phrase)."
        case 1: text += "Sharing with the \(place.unit) team: this is exactly what we discussed last week."
        case 2: text += "Good reminder for all of us."
        case 3: text += "Bookmarking this one for our next team meeting."
        default: text += "A great example of \(content.phrase) done well."
        }
    }

    private static func mentionSentence(handle: String, tone: Tone, rng: inout Random) -> String {
        switch (tone, rng.int(below: 3)) {
        case (.sharing, 0): return "Thanks to @\(handle) for the pointer."
        case (.sharing, 1): return "Credit to @\(handle), who showed me this."
        case (.sharing, _): return "cc @\(handle), you might find this useful."
        case (.asking, 0): return "cc @\(handle), I think you have done this before?"
        case (.asking, 1): return "@\(handle), this reminded me of our chat last week."
        case (.asking, _): return "@\(handle), any pointers?"
        case (.inviting, 0): return "@\(handle) is co-hosting."
        case (.inviting, 1): return "Thanks to @\(handle) for helping to set this up."
        case (.inviting, _): return "cc @\(handle), this could interest your team."
        }
    }

    private static let outcomes = [
        "It felt awkward at first, but the conversation was far more focused.",
        "We finished ten minutes early, which never happens.",
        "Two people who usually stay quiet spoke up.",
        "Not perfect yet, but we will keep it for another month.",
        "The team asked to keep doing it.",
        "Half of it worked, and we learned a lot from the other half.",
    ]

    private static let resources = [
        "podcast episode", "short article", "ten-minute video", "book chapter", "case study",
        "webinar recording", "conference talk",
    ]

    private static let wins = [
        "the team noticed within days.", "our next review took half the time.",
        "two other teams have asked how we did it.", "nobody wants to go back.",
    ]

    private static let weekdays = ["Tuesday", "Wednesday", "Thursday"]

    private static let sharingClosers = [
        "Happy to share the template if it helps.", "Notes are on the team wiki if anyone wants them.",
        "Comments and counter-arguments welcome.", "Who else is experimenting with this?",
        "Let me know if you want to try it together.", "Curious whether this works for other teams too.",
    ]

    private static let askingClosers = [
        "Curious how other teams handle this.", "Would love to hear what has worked for you.",
        "Any pointers welcome.", "Even a link to a good article would help.",
    ]

    private static let invitingClosers = [
        "No preparation needed, just bring your questions.", "The recording will be on the team wiki afterwards.",
        "Colleagues from every unit are welcome.",
    ]

    /// For members without subjects.
    private static let general = SubjectContent(
        "learning at work",
        topics: ["learning habits", "learning from colleagues", "note-taking", "personal learning networks"],
        tips: ["block thirty minutes a week for learning and guard it like a meeting",
               "write down one thing learned at the end of each week",
               "ask a colleague from another team to explain how they work"],
        questions: ["make time for learning when the calendar is full",
                    "decide who to follow when you join a new team"])

    private static let contentIndex: [String: Int] = {
        var index: [String: Int] = [:]
        for (position, entry) in catalog.enumerated() { index[entry.slug] = position }
        return index
    }()

    private static let contents: [SubjectContent] = catalog.map(\.content)

    // The slugs and phrases are those of the organization generator's subject catalog.
    private static let catalog: [(slug: String, content: SubjectContent)] = [
        ("leadership", SubjectContent(
            "leadership",
            topics: ["giving feedback", "one-to-ones", "delegation", "leading through uncertainty"],
            tips: ["end every one-to-one by agreeing on one concrete next step",
                   "delegate the outcome and let the team decide how to get there",
                   "ask the team what to stop doing before adding anything new"],
            questions: ["keep one-to-ones useful when half the team is remote",
                        "give honest feedback to someone more experienced than you"])),
        ("data-analytics", SubjectContent(
            "data analytics",
            topics: ["dashboard design", "SQL window functions", "data storytelling",
                     "cleaning messy spreadsheet data"],
            tips: ["start from the decision the dashboard has to support, not from the data at hand",
                   "put the one number that matters in every chart title",
                   "keep a short data dictionary next to every report"],
            questions: ["stop a dashboard from turning into a wall of charts",
                        "get people to trust numbers that contradict their gut feeling"])),
        ("communication", SubjectContent(
            "communication",
            topics: ["clear status updates", "shorter meetings", "async updates", "active listening"],
            tips: ["put the ask in the first line of every message",
                   "replace the weekly status meeting with a written update and a fifteen-minute Q&A",
                   "summarise what we heard before responding"],
            questions: ["keep a large group informed without flooding everyone's inbox",
                        "get quiet team members to speak up in meetings"])),
        ("project-management", SubjectContent(
            "project management",
            topics: ["project kick-offs", "risk logs", "stakeholder mapping", "realistic estimates"],
            tips: ["write down what is out of scope on the first page of the plan",
                   "review the risk log for five minutes at the start of every check-in",
                   "estimate in ranges and say how confident we are"],
            questions: ["handle scope creep when the request comes from a senior sponsor",
                        "keep a project plan alive after the kick-off"])),
        ("artificial-intelligence", SubjectContent(
            "AI",
            topics: ["prompt writing", "AI assistants for everyday tasks", "responsible use of AI",
                     "checking AI-generated answers"],
            tips: ["give the model an example of the output we want before asking for it",
                   "check every AI-generated figure against the original source",
                   "keep a shared list of prompts that worked well"],
            questions: ["decide which tasks are safe to hand to an AI assistant",
                        "explain the limits of generative AI to colleagues who expect magic"])),
        ("customer-experience", SubjectContent(
            "customer experience",
            topics: ["customer journey mapping", "NPS follow-ups", "complaint handling", "voice of the customer"],
            tips: ["call back three unhappy customers every week and just listen",
                   "map the journey from the customer's side, including the steps that are not ours",
                   "share one real customer quote at the start of every team meeting"],
            questions: ["turn survey comments into changes customers actually notice",
                        "close the loop with customers after a complaint"])),
        ("coaching", SubjectContent(
            "coaching",
            topics: ["coaching conversations", "the GROW model", "powerful questions", "coaching in the flow of work"],
            tips: ["ask one more open question before offering a solution",
                   "let the other person set the goal for the conversation",
                   "agree at the end what the person will try before next time"],
            questions: ["coach someone when you are also their manager",
                        "find time for coaching when the team is flat out"])),
        ("change-management", SubjectContent(
            "change management",
            topics: ["change impact assessments", "change champion networks", "resistance to change",
                     "communicating a reorganisation"],
            tips: ["involve the people affected before the design is finished",
                   "tell the story of why before the story of what",
                   "give change champions early access and a direct line to the project team"],
            questions: ["keep momentum once the launch excitement fades",
                        "measure whether a change has really landed"])),
        ("wellbeing", SubjectContent(
            "wellbeing",
            topics: ["preventing burnout", "meeting-free focus time", "mental health first aid",
                     "taking proper breaks"],
            tips: ["block one meeting-free morning a week for the whole team",
                   "start check-ins by asking how people are really doing",
                   "make it normal to leave a meeting that is not needed"],
            questions: ["talk about workload without it sounding like a complaint",
                        "support a colleague who seems to be struggling"])),
        ("agile", SubjectContent(
            "agile ways of working",
            topics: ["retrospectives", "sprint planning", "story mapping", "WIP limits"],
            tips: ["timebox each retrospective topic to ten minutes",
                   "limit work in progress to one item per person",
                   "invite a real user to the sprint review"],
            questions: ["keep retrospectives from going stale after a few months",
                        "apply agile ideas outside software teams"])),
        ("sustainability", SubjectContent(
            "sustainability",
            topics: ["carbon footprint basics", "sustainable procurement", "circular design",
                     "reducing business travel"],
            tips: ["put the carbon estimate next to the cost in every business case",
                   "start with the three biggest sources of emissions instead of everything at once",
                   "ask suppliers for their own reduction targets"],
            questions: ["make sustainability part of everyday decisions rather than a side project",
                        "measure the footprint of a service rather than a product"])),
        ("diversity-inclusion", SubjectContent(
            "diversity and inclusion",
            topics: ["inclusive meetings", "inclusive hiring", "employee resource groups", "allyship"],
            tips: ["rotate who chairs the team meeting",
                   "use structured interviews with the same questions for every candidate",
                   "check who has not spoken yet before closing a discussion"],
            questions: ["make meetings work for colleagues joining in a second language",
                        "start an employee resource group without it becoming extra unpaid work"])),
        ("presentation-skills", SubjectContent(
            "presentation skills",
            topics: ["opening a presentation", "slide design", "presenting to senior leaders",
                     "handling tough questions"],
            tips: ["start with the conclusion and spend the rest of the time backing it up",
                   "put one message on each slide and say it in the title",
                   "rehearse out loud at least twice"],
            questions: ["calm the nerves before presenting to a big audience",
                        "keep a remote audience engaged for more than twenty minutes"])),
        ("cybersecurity", SubjectContent(
            "cybersecurity",
            topics: ["phishing awareness", "password managers", "incident response drills", "secure remote working"],
            tips: ["report a suspicious e-mail even when unsure",
                   "run a short tabletop exercise before the real incident happens",
                   "turn on multi-factor authentication for every shared account"],
            questions: ["make security training stick without scaring people",
                        "get teams to report mistakes quickly instead of hiding them"])),
        ("lean", SubjectContent(
            "lean",
            topics: ["value stream mapping", "5S", "gemba walks", "standard work"],
            tips: ["walk the process with the people doing it before drawing anything",
                   "measure lead time before trying to improve it",
                   "fix one small problem a day rather than planning a big programme"],
            questions: ["keep 5S going after the first enthusiastic month",
                        "apply lean to office processes such as approvals"])),
        ("excel", SubjectContent(
            "Excel",
            topics: ["XLOOKUP", "pivot tables", "Power Query", "dynamic arrays"],
            tips: ["keep raw data on one sheet and calculations on another",
                   "replace nested IFs with a small lookup table",
                   "use Power Query for any import we repeat more than twice"],
            questions: ["hand over a complex spreadsheet so someone else can maintain it",
                        "stop a shared workbook from breaking every month"])),
        ("negotiation", SubjectContent(
            "negotiation",
            topics: ["knowing the walk-away point", "anchoring", "negotiating with suppliers", "win-win agreements"],
            tips: ["write down the walk-away point before the first meeting",
                   "ask about the other side's constraints before naming a number",
                   "trade concessions instead of giving them away"],
            questions: ["negotiate with an internal team that holds all the cards",
                        "prepare when there is almost no time before the meeting"])),
        ("digital-marketing", SubjectContent(
            "digital marketing",
            topics: ["SEO basics", "campaign analytics", "A/B testing", "e-mail newsletters"],
            tips: ["test one change at a time and let it run a full week",
                   "write the subject line before the rest of the newsletter",
                   "track conversions, not only clicks"],
            questions: ["decide which channel deserves the next slice of budget",
                        "run A/B tests with a small audience"])),
        ("innovation", SubjectContent(
            "innovation",
            topics: ["idea challenges", "rapid prototyping", "innovation sprints", "testing assumptions"],
            tips: ["write down the riskiest assumption and test that first",
                   "show a rough prototype to five users before building anything",
                   "set a stop date for every experiment"],
            questions: ["get ideas from the front line into the roadmap",
                        "innovate when the day job leaves no slack"])),
        ("financial-management", SubjectContent(
            "financial management",
            topics: ["reading a P&L", "cash flow forecasting", "budget reviews", "business cases"],
            tips: ["compare actuals to forecast every month, not only at year end",
                   "explain a variance in one sentence before showing the numbers",
                   "include the cost of doing nothing in every business case"],
            questions: ["explain a budget cut to a team that is already stretched",
                        "build a business case for something hard to measure"])),
        ("storytelling", SubjectContent(
            "storytelling",
            topics: ["data stories", "customer stories", "storytelling in presentations", "the story spine"],
            tips: ["start with a real person and a real moment",
                   "cut every detail that does not serve the point",
                   "end with what the audience should do next"],
            questions: ["tell a compelling story with dry technical material",
                        "find good stories inside the organization"])),
        ("forecasting", SubjectContent(
            "forecasting",
            topics: ["demand forecasting", "forecast accuracy", "scenario planning", "statistical baselines"],
            tips: ["track forecast bias, not only accuracy",
                   "start from a simple statistical baseline before adding judgement",
                   "agree on one number across sales and operations"],
            questions: ["forecast when history is no longer a good guide",
                        "get sales to share their pipeline view early"])),
        ("supply-chain", SubjectContent(
            "supply chain",
            topics: ["supplier risk", "inventory optimisation", "end-to-end visibility", "S&OP"],
            tips: ["map second-tier suppliers for the ten most critical parts",
                   "review safety stock levels every quarter instead of every year",
                   "bring finance into the monthly S&OP meeting"],
            questions: ["balance lean inventory with resilience",
                        "get reliable lead times from suppliers"])),
        ("software-engineering", SubjectContent(
            "software engineering",
            topics: ["code reviews", "testing strategies", "refactoring legacy code", "technical debt"],
            tips: ["keep pull requests small enough to review in fifteen minutes",
                   "write the failing test before fixing a bug",
                   "reserve a fixed share of every sprint for technical debt"],
            questions: ["give code review feedback that is kind but clear",
                        "convince stakeholders to invest in refactoring"])),
        ("cloud-computing", SubjectContent(
            "cloud computing",
            topics: ["cloud cost management", "infrastructure as code", "serverless", "multi-region setups"],
            tips: ["tag every resource with an owner on day one",
                   "review the cloud bill with the team every month",
                   "keep infrastructure in version control like any other code"],
            questions: ["keep cloud costs under control as teams grow",
                        "decide between serverless and containers"])),
        ("product-management", SubjectContent(
            "product management",
            topics: ["product discovery", "roadmapping", "user interviews", "prioritisation"],
            tips: ["talk to at least one customer every week",
                   "write the problem statement before discussing solutions",
                   "say what we will not build this quarter"],
            questions: ["say no to a feature request from an important customer",
                        "keep a roadmap honest about uncertainty"])),
        ("health-safety", SubjectContent(
            "health and safety",
            topics: ["near-miss reporting", "toolbox talks", "risk assessments", "safety culture"],
            tips: ["thank people for every near-miss report",
                   "start shifts with a two-minute safety conversation",
                   "ask the people doing the job to review the risk assessment"],
            questions: ["keep safety briefings from becoming a box-ticking exercise",
                        "encourage near-miss reporting without blame"])),
        ("mentoring", SubjectContent(
            "mentoring",
            topics: ["reverse mentoring", "mentoring agreements", "finding a mentor", "group mentoring"],
            tips: ["agree on goals and a rhythm in the first session",
                   "bring one real situation to every mentoring conversation",
                   "end the mentoring relationship well once it has done its job"],
            questions: ["find a mentor outside the department",
                        "make reverse mentoring work for both sides"])),
        ("strategy", SubjectContent(
            "strategy",
            topics: ["strategy on a page", "OKRs", "competitive analysis", "scenario thinking"],
            tips: ["write the strategy so that everyone can say what we will stop doing",
                   "set no more than three objectives per quarter",
                   "revisit the key assumptions every six months"],
            questions: ["translate a company strategy into team priorities",
                        "keep OKRs from turning into a task list"])),
        ("talent-development", SubjectContent(
            "talent development",
            topics: ["career conversations", "skills frameworks", "stretch assignments", "internal mobility"],
            tips: ["hold career conversations separately from performance reviews",
                   "give people a stretch assignment with a safety net",
                   "publish internal roles before looking outside"],
            questions: ["develop people when there are no promotion slots",
                        "spot hidden talent in a large team"])),
        ("design-thinking", SubjectContent(
            "design thinking",
            topics: ["empathy interviews", "problem framing", "how-might-we questions", "prototyping workshops"],
            tips: ["spend more time framing the problem than generating ideas",
                   "interview at least five users before the workshop",
                   "keep the prototype rough enough that people feel free to criticise it"],
            questions: ["run a design thinking workshop with people who have never done one",
                        "keep workshop ideas from dying on the whiteboard"])),
        ("machine-learning", SubjectContent(
            "machine learning",
            topics: ["feature engineering", "model monitoring", "explainable models", "data labelling"],
            tips: ["start with a simple baseline model before trying anything fancy",
                   "monitor model inputs for drift, not only the outputs",
                   "spend the first week on the data, not the algorithm"],
            questions: ["explain a model's decision to a non-technical stakeholder",
                        "decide when a model needs retraining"])),
        ("quality-management", SubjectContent(
            "quality management",
            topics: ["root cause analysis", "the 5 whys", "ISO 9001 audits", "control charts"],
            tips: ["ask why until the answer is something we can change",
                   "review customer complaints together with production",
                   "plot the data before reacting to a single bad result"],
            questions: ["keep a quality system alive between audits",
                        "get front-line teams to own quality"])),
        ("continuous-improvement", SubjectContent(
            "continuous improvement",
            topics: ["kaizen events", "PDCA cycles", "improvement boards", "suggestion schemes"],
            tips: ["close every improvement idea within two weeks, even with a no",
                   "celebrate small improvements in the team huddle",
                   "measure before and after, even roughly"],
            questions: ["keep an improvement board from filling up with stale ideas",
                        "sustain improvements after the project team moves on"])),
        ("sales-techniques", SubjectContent(
            "sales techniques",
            topics: ["discovery calls", "objection handling", "social selling", "value selling"],
            tips: ["ask three open questions before presenting anything",
                   "repeat the customer's objection back before answering it",
                   "send a short recap within an hour of every meeting"],
            questions: ["handle the price objection without discounting",
                        "keep a deal moving when the buyer goes quiet"])),
        ("business-writing", SubjectContent(
            "business writing",
            topics: ["plain language", "executive summaries", "writing for mobile readers", "e-mail etiquette"],
            tips: ["put the conclusion in the first paragraph",
                   "cut every sentence that does not change what the reader will do",
                   "read the draft out loud before sending it"],
            questions: ["write an executive summary that actually gets read",
                        "give feedback on someone else's writing without rewriting it"])),
        ("facilitation", SubjectContent(
            "facilitation",
            topics: ["workshop design", "energisers", "online whiteboards", "decision-making methods"],
            tips: ["write the purpose of the session on the first slide and keep coming back to it",
                   "plan silent writing time before open discussion",
                   "agree on how the decision will be made before debating options"],
            questions: ["handle one person dominating a workshop",
                        "facilitate a hybrid session where half the room is online"])),
        ("data-privacy", SubjectContent(
            "data privacy",
            topics: ["GDPR basics", "privacy by design", "data retention", "data protection impact assessments"],
            tips: ["collect only the fields we actually use",
                   "set a deletion date when the data is collected",
                   "involve the privacy team at the design stage, not the week before launch"],
            questions: ["explain privacy rules without scaring teams off using data",
                        "handle a data subject request quickly"])),
        ("hybrid-work", SubjectContent(
            "hybrid work",
            topics: ["hybrid meetings", "team agreements", "office anchor days", "remote onboarding"],
            tips: ["have everyone join hybrid meetings from their own laptop",
                   "write a team agreement on when we meet in person and why",
                   "keep decisions in writing so remote colleagues are not left out"],
            questions: ["keep a hybrid team connected without forcing everyone into the office",
                        "make office days worth the commute"])),
        ("ux-design", SubjectContent(
            "UX design",
            topics: ["usability testing", "design systems", "accessible forms", "journey maps"],
            tips: ["test with five users before changing anything",
                   "write the error message before designing the form",
                   "reuse components from the design system before drawing new ones"],
            questions: ["convince stakeholders to fund user research",
                        "test designs with users who are hard to reach"])),
        ("logistics", SubjectContent(
            "logistics",
            topics: ["route planning", "warehouse layout", "last-mile delivery", "returns handling"],
            tips: ["put the fastest movers closest to the dispatch area",
                   "review failed deliveries every morning with the drivers",
                   "measure the cost per order, not only per pallet"],
            questions: ["cut empty miles without adding planning effort",
                        "handle peak season without burning out the team"])),
        ("procurement", SubjectContent(
            "procurement",
            topics: ["supplier selection", "category strategy", "tender evaluation",
                     "supplier relationship management"],
            tips: ["agree the evaluation criteria before opening any bids",
                   "meet key suppliers for a review that is not about price",
                   "involve the end users in writing the requirements"],
            questions: ["move a category from price-only to total cost of ownership",
                        "keep suppliers engaged when volumes drop"])),
        ("compliance", SubjectContent(
            "compliance",
            topics: ["policy writing", "compliance training", "speak-up culture", "third-party due diligence"],
            tips: ["write policies in plain language with examples",
                   "replace the annual course with short scenarios through the year",
                   "make it easy and safe to ask a compliance question"],
            questions: ["make compliance training less of a chore",
                        "check third parties without slowing the business down"])),
        ("risk-management", SubjectContent(
            "risk management",
            topics: ["risk registers", "risk appetite", "bow-tie analysis", "business continuity"],
            tips: ["give every risk a named owner",
                   "review the top five risks at every leadership meeting",
                   "test the continuity plan with a surprise exercise"],
            questions: ["keep a risk register from becoming a graveyard",
                        "discuss risk appetite with people who hate the term"])),
        ("onboarding", SubjectContent(
            "onboarding",
            topics: ["first-week plans", "onboarding buddies", "pre-boarding", "onboarding checklists"],
            tips: ["give every newcomer a buddy outside their own team",
                   "have the laptop and accounts ready on day one",
                   "check in after thirty days with a short conversation, not a survey"],
            questions: ["onboard someone when the team is fully remote",
                        "help newcomers build a network quickly"])),
        ("brand-management", SubjectContent(
            "brand management",
            topics: ["brand guidelines", "tone of voice", "brand consistency across markets", "brand health tracking"],
            tips: ["show good and bad examples in the brand guidelines",
                   "describe the tone of voice in three words everyone can remember",
                   "let local teams adapt the message but not the identity"],
            questions: ["keep the brand consistent when every team makes its own slides",
                        "measure brand health on a small budget"])),
        ("content-strategy", SubjectContent(
            "content strategy",
            topics: ["editorial calendars", "content audits", "repurposing content", "measuring content"],
            tips: ["audit what we already have before creating anything new",
                   "turn every long article into three short posts",
                   "agree on one goal per piece of content"],
            questions: ["decide what content to retire",
                        "get subject-matter experts to contribute regularly"])),
        ("crm", SubjectContent(
            "CRM",
            topics: ["CRM hygiene", "pipeline reports", "account plans", "CRM adoption"],
            tips: ["remove every field nobody uses",
                   "update the CRM straight after each call while it is fresh",
                   "run the pipeline meeting from the CRM, not from a spreadsheet"],
            questions: ["get the team to keep the CRM up to date",
                        "clean up years of duplicate records"])),
        ("devops", SubjectContent(
            "DevOps",
            topics: ["CI/CD pipelines", "on-call rotations", "blameless postmortems", "observability"],
            tips: ["deploy small changes often instead of big releases",
                   "write a blameless postmortem for every incident that reached customers",
                   "alert on symptoms users notice, not on every metric"],
            questions: ["make on-call sustainable for a small team",
                        "introduce DevOps practices in a team used to big releases"])),
        ("accessibility", SubjectContent(
            "accessibility",
            topics: ["screen reader testing", "colour contrast", "accessible documents", "captions for video"],
            tips: ["test every new page with a keyboard only",
                   "add captions to every recorded meeting",
                   "write link text that says where the link goes"],
            questions: ["make accessibility part of the definition of done",
                        "check documents for accessibility before sending them out"])),
        ("pricing", SubjectContent(
            "pricing",
            topics: ["value-based pricing", "discount policies", "price increases", "pricing experiments"],
            tips: ["explain the value before announcing the price",
                   "set clear rules for who can approve which discount",
                   "test a price change on one segment first"],
            questions: ["communicate a price increase to long-standing customers",
                        "stop discounts from becoming the default"])),
        ("knowledge-management", SubjectContent(
            "knowledge management",
            topics: ["after-action reviews", "team wikis", "communities of practice", "expert directories"],
            tips: ["write down lessons learned within a week of finishing a project",
                   "give every wiki page an owner and a review date",
                   "make it easy to find who knows what, not only what is written down"],
            questions: ["capture the knowledge of colleagues about to retire",
                        "keep a wiki from going out of date"])),
        ("esg-reporting", SubjectContent(
            "ESG reporting",
            topics: ["CSRD", "double materiality", "scope 3 emissions", "ESG data quality"],
            tips: ["start the data collection a full year before the first report",
                   "agree on definitions with every data owner up front",
                   "document every estimate and its source"],
            questions: ["collect scope 3 data from suppliers who have never reported it",
                        "explain double materiality to the board"])),
        ("employer-branding", SubjectContent(
            "employer branding",
            topics: ["employee ambassadors", "careers pages", "candidate experience", "employee value proposition"],
            tips: ["let employees tell their own stories instead of scripting them",
                   "reply to every candidate, including the ones we turn down",
                   "test the careers page with people who just joined"],
            questions: ["get employees to share job posts without it feeling forced",
                        "measure the effect of employer branding"])),
        ("energy-transition", SubjectContent(
            "the energy transition",
            topics: ["electrification", "power purchase agreements", "energy efficiency", "green hydrogen"],
            tips: ["start with an energy audit of the biggest sites",
                   "track energy use per unit produced, not only in total",
                   "involve maintenance teams early in efficiency projects"],
            questions: ["build a business case for electrifying a site",
                        "keep up with energy policy changes in several countries"])),
        ("industrial-automation", SubjectContent(
            "industrial automation",
            topics: ["PLC programming", "robot cells", "predictive maintenance", "OT security"],
            tips: ["involve operators in the design of every automated cell",
                   "collect machine data for a few months before predicting anything",
                   "keep a manual fallback for every critical step"],
            questions: ["upskill maintenance technicians for automation",
                        "decide which process to automate first"])),
        ("contract-law", SubjectContent(
            "contract law",
            topics: ["contract templates", "limitation of liability", "contract negotiation",
                     "contract lifecycle management"],
            tips: ["keep a clause library with approved fallback positions",
                   "read the termination clauses first",
                   "record why a non-standard clause was accepted"],
            questions: ["speed up contract reviews without taking on more risk",
                        "explain liability caps to the business"])),
        ("tax", SubjectContent(
            "tax",
            topics: ["transfer pricing", "VAT", "tax technology", "international tax changes"],
            tips: ["document transfer pricing decisions when they are made, not at year end",
                   "check the VAT treatment before signing a cross-border deal",
                   "automate the recurring reconciliations first"],
            questions: ["keep up with tax changes in many countries",
                        "explain tax risks to project teams"])),
        ("intellectual-property", SubjectContent(
            "intellectual property",
            topics: ["patents", "trade secrets", "open source licences", "invention disclosures"],
            tips: ["file an invention disclosure as soon as something looks new",
                   "check open source licences before the code ships",
                   "mark confidential material consistently"],
            questions: ["encourage engineers to disclose inventions",
                        "protect ideas shared with partners"])),
        ("payroll", SubjectContent(
            "payroll",
            topics: ["payroll accuracy", "payroll controls", "multi-country payroll", "pay transparency"],
            tips: ["reconcile payroll with HR data before every run",
                   "keep a checklist for every change in legislation",
                   "explain payslip changes before they land"],
            questions: ["cut payroll errors when data comes from many systems",
                        "prepare for pay transparency rules"])),
    ]
}

// MARK: - Randomness

extension DemoActivity {

}
