@testable import FieldbookSync
import FieldbookWire
import Testing

/// The account of a push the server took in part: never "nothing was accepted" when the
/// assessor's own changes were.
@Suite struct PartialPushTests {
    @Test func severalColleaguesWithUnboundKeys() {
        let push = PartialPush(own: 30, heldBack: ["Ben": 3, "Carla": 1], engagement: "e1",
                               reason: "Change x by 'Ben' comes from a key this server has not bound to them; nothing was accepted.",
                               code: .keyNotBound)
        let text = SyncError.partlyTaken(push, refusal: .refused(push.reason)).description
        #expect(text.hasPrefix("Your own changes were accepted (the server holds all 30 of them), but 3 changes by Ben and 1 by Carla, relayed through this workspace, were held back because the server has not bound the keys of Ben and Carla; they stay here until each of them syncs"), "\(text)")
        #expect(text.contains("--assessor NAME --engagement e1 --public-key KEY"))
        #expect(!text.contains("nothing was accepted"))
    }

    @Test func anotherReasonIsQuotedWithoutTheBatchClaim() {
        let push = PartialPush(own: 1, heldBack: ["Ben": 1], engagement: "e1",
                               reason: "Change x claims to be by 'Ben', but its key belongs to 'Dan' on this server; nothing was accepted.")
        let text = push.description
        #expect(text == "Your own changes were accepted (the server holds yours), but 1 change by Ben, relayed through this workspace, was held back: "
                + "the server said \"Change x claims to be by 'Ben', but its key belongs to 'Dan' on this server\"; it stays here and goes with a later sync.", "\(text)")
    }
}
