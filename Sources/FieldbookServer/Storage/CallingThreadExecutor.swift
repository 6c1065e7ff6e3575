import Foundation

/// Runs async code to its end on the calling thread, which waits meanwhile.
///
/// GRDB hands a transaction's `Database` to one synchronous closure, on GRDB's own thread, and
/// refuses it anywhere else. Push and pull are written once as async code (`PushOperation`,
/// `PullOperation`), because PostgreSQL answers over the network; SQLite's answers never
/// suspend. So `SQLiteServerStorage` runs the async steps inside GRDB's closure through this
/// executor: every job of the task runs on the closure's thread, within its transaction, and
/// nothing hops to another thread.
final class CallingThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var jobs: [UnownedJob] = []

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Records the task's outcome under the lock and wakes the waiting thread.
    private func finish(_ record: () -> Void) {
        condition.lock()
        record()
        condition.signal()
        condition.unlock()
    }

    /// `body` may use values bound to this thread (a GRDB `Database`): it runs here, and is
    /// done with them when this returns.
    static func run<T>(_ body: @escaping () async throws -> T) throws -> T {
        let executor = CallingThreadExecutor()
        let task = ThreadBound(body)
        let outcome = ThreadBound<Result<T, any Error>?>(nil)
        Task(executorPreference: executor) {
            let result: Result<T, any Error>
            do { result = .success(try await task.value()) } catch { result = .failure(error) }
            // Set under the lock and signalled: should a step ever end on another executor (an
            // actor), the waiting thread still wakes instead of waiting for a job forever.
            executor.finish { outcome.value = result }
        }
        while true {
            executor.condition.lock()
            while executor.jobs.isEmpty && outcome.value == nil { executor.condition.wait() }
            let ready = executor.jobs
            executor.jobs.removeAll()
            let finished = outcome.value
            executor.condition.unlock()
            for job in ready { job.runSynchronously(on: executor.asUnownedTaskExecutor()) }
            if let finished { return try finished.get() }
            executor.condition.lock()
            let done = outcome.value
            executor.condition.unlock()
            if let done { return try done.get() }
        }
    }

    /// A value the task's jobs and the calling thread share: the jobs run on the calling thread,
    /// and the outcome is read and written under the executor's lock.
    private final class ThreadBound<Value>: @unchecked Sendable {
        var value: Value
        init(_ value: Value) { self.value = value }
    }
}
