import FieldbookStore
import Foundation
import Hummingbird

/// Runs one write a form asked for, through the workspace's domain, and sends the browser
/// back to the page it came from with the outcome: the sentence the CLI would print for the
/// same refusal, or what was written (post, redirect, get: a reload never writes twice).
enum Action {
    static func run(_ workbench: Workbench, _ request: Request, _ context: WorkbenchContext,
                    _ body: (FormInput, Workspace) async throws -> String) async throws -> Response {
        let form: FormInput
        do {
            form = try await FormInput.read(request, context: context)
        } catch let refusal as WorkbenchRefusal {
            return Refusal.page(refusal.status, refusal.sentence)
        }
        return try await finish(workbench, context, back: form.back) { try await body(form, try workbench.workspace()) }
    }

    /// Leaves the outcome for the next page and redirects to `back`.
    static func finish(_ workbench: Workbench, _ context: WorkbenchContext, back: String,
                       _ body: () async throws -> String) async throws -> Response {
        let notice: SessionGate.Notice
        do {
            notice = .init(text: try await body(), refused: false)
        } catch let refusal as WorkbenchRefusal {
            notice = .init(text: refusal.sentence, refused: true)
        } catch {
            // The domain's refusals (`StoreError`) and the sync's are one sentence each, as the CLI prints them.
            notice = .init(text: "\(error)", refused: true)
        }
        workbench.gate.leave(notice, for: context.session!)
        return Response(status: .seeOther, headers: [.location: back])
    }
}
