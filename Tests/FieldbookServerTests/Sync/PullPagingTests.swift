@testable import FieldbookServer
import FieldbookWire
import Testing

struct PullPagingTests {
    @Test("a page takes whole segments in log order until the next would pass the limit")
    func wholeSegments() {
        let page = PullPaging.take([(seq: 3, count: 40), (seq: 5, count: 50), (seq: 9, count: 20)], limit: 100)
        #expect(page.chosen == [3, 5] && page.more)
        let last = PullPaging.take([(seq: 3, count: 40), (seq: 5, count: 60)], limit: 100)
        #expect(last.chosen == [3, 5] && !last.more)
    }

    @Test("a first segment larger than the limit comes whole, alone")
    func firstSegmentWhole() {
        let page = PullPaging.take([(seq: 1, count: 500), (seq: 2, count: 1)], limit: 100)
        #expect(page.chosen == [1] && page.more)
        let none = PullPaging.take([], limit: 100)
        #expect(none.chosen.isEmpty && !none.more)
    }

    @Test("the limit asked for is kept within one page and at least one change")
    func limits() {
        #expect(PullPaging.limit(0) == 1)
        #expect(PullPaging.limit(-5) == 1)
        #expect(PullPaging.limit(250) == 250)
        #expect(PullPaging.limit(Int.max) == Wire.maximumBatchChanges)
        #expect(PullPaging.candidateLimit(250) == 251)
    }
}
