@testable import FieldbookServer
import Foundation
import Testing

/// SQLite's push and pull run async steps inside GRDB's synchronous transaction closure; these
/// pin down what that relies on.
struct CallingThreadExecutorTests {
    /// Answers synchronously and checks it is asked on the thread that made it.
    final class ThreadBoundAnswer {
        let thread = pthread_self()
        func answer(_ value: Int) throws -> Int {
            guard pthread_equal(thread, pthread_self()) != 0 else { throw CocoaError(.featureUnsupported) }
            return value
        }
    }

    static func sum(_ answers: ThreadBoundAnswer, count: Int) async throws -> Int {
        var total = 0
        for value in 0..<count { total += try answers.answer(value) }
        return total
    }

    @Test("async steps run to their end on the calling thread, off Swift's pool, and return their result")
    func runsHere() throws {
        let result = try DispatchQueue(label: "writer").sync {
            let answers = ThreadBoundAnswer()
            return try CallingThreadExecutor.run { try await Self.sum(answers, count: 1_000) }
        }
        #expect(result == 499_500)
    }

    @Test("an error thrown by the steps comes out of run, as a transaction's closure needs to roll back")
    func throwsThrough() {
        #expect(throws: ServerError.unknownEngagement("e")) {
            try CallingThreadExecutor.run { () async throws -> Int in throw ServerError.unknownEngagement("e") }
        }
    }

    @Test("a step that really suspends resumes on the calling thread")
    func resumesHere() throws {
        let result = try DispatchQueue(label: "writer").sync {
            let answers = ThreadBoundAnswer()
            return try CallingThreadExecutor.run {
                let elsewhere = await withCheckedContinuation { continuation in
                    DispatchQueue.global().async { continuation.resume(returning: 41) }
                }
                return try answers.answer(elsewhere + 1)
            }
        }
        #expect(result == 42)
    }
}
