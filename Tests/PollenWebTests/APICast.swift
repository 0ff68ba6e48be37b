import Foundation
import HummingbirdTesting
import PollenCore

/// Alice, Bob, Carol and Dave (Logistics, Logistics, Finance, Logistics), each with a token that may read and
/// write: the cast of the Pollen API's community and question tests.
struct APICast {
    let alice: Member
    let bob: Member
    let carol: Member
    let dave: Member
    let aliceToken: String
    let bobToken: String
    let carolToken: String
    let daveToken: String

    static func make(_ harness: WebHarness, _ client: any TestClientProtocol) async throws -> APICast {
        let alice = try await harness.addMember("alice", name: "Alice Adams", department: "Logistics")
        let bob = try await harness.addMember("bob", name: "Bob Brown", department: "Logistics")
        let carol = try await harness.addMember("carol", name: "Carol Cole", department: "Finance")
        let dave = try await harness.addMember("dave", name: "Dave Dunn", department: "Logistics")
        return APICast(
            alice: alice, bob: bob, carol: carol, dave: dave,
            aliceToken: try await client.memberToken("alice", scope: "read write"),
            bobToken: try await client.memberToken("bob", scope: "read write"),
            carolToken: try await client.memberToken("carol", scope: "read write"),
            daveToken: try await client.memberToken("dave", scope: "read write"))
    }
}
