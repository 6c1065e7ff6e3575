import Foundation

/// Knobs the integration tests and the fault harness set through the environment of a debug
/// build: a fixed clock (`FIELDBOOK_NOW_MS`), push size and pause (`FIELDBOOK_SYNC_BATCH`,
/// `FIELDBOOK_SYNC_PAUSE_MS`), readable bundle records (`FIELDBOOK_BUNDLE_CHANGES=json`).
/// A release build never reads them: nobody can stamp signed history at a time they choose,
/// or change how a shipped binary syncs, by setting a variable.
public enum DebugEnvironment {
    public static func value(_ name: String) -> String? {
        #if DEBUG
        ProcessInfo.processInfo.environment[name]
        #else
        nil
        #endif
    }
}
