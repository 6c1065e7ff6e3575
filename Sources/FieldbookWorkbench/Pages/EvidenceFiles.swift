import FieldbookStore
import Foundation
import Hummingbird

/// Evidence files as the pages that hold them show and take them (a requirement's, a
/// request's): a table of the files, the upload form (file picker or drag and drop, a
/// description), and the posted files, streamed to the scratch folder (`UploadedForm`), handed
/// to the domain one by one and removed afterwards.
enum EvidenceFiles {
    static func table(_ items: [Evidence], caption: String) -> HTML {
        H.table(caption: caption, header: ["file", "speaks for", "description", "SHA-256", "recorded by"], rows: items.map { item in
            [.text((item.filename ?? "") + (item.deleted ? " (deleted)" : "")), .text(item.dateLabel ?? item.recordedOn), .text(item.description ?? ""),
             .element("code", [], [.text(String((item.sha256 ?? "").prefix(12)))]), .text(item.record.updatedBy)]
        })
    }

    /// The upload form posting to `action`.
    static func uploadForm(_ page: PageContext, action: String, back: String, button: String) -> HTML {
        page.form(action, back: back, multipart: true, [
            .element("div", [("class", "drop"), ("data-drop", "")], [
                H.field("Evidence file (or drop files here)", id: "file", H.input("file", id: "file", type: "file", required: true, extra: [("multiple", "")])),
                .element("p", [("data-drop-name", ""), ("class", "muted"), ("aria-live", "polite")], []),
            ]),
            H.field("Description", id: "description", H.input("description", id: "description")),
            H.button(button),
        ])
    }

    /// Reads an upload and runs `attach` with the files of its `file` field (at least one, unless
    /// `missing` is nil) and its fields, then sends the browser back with its sentence or the
    /// refusal, as `Action.run` does for plain forms.
    static func receive(_ workbench: Workbench, _ request: Request, _ context: WorkbenchContext,
                        field: String = "file", missing: String? = "Choose a file to attach, or drop one on the upload area.",
                        _ attach: (_ files: [(filename: String, file: URL)], _ fields: FormInput, _ workspace: Workspace) throws -> String) async throws -> Response {
        let workspace = try workbench.workspace()
        let upload: UploadedForm
        do {
            upload = try await UploadedForm.read(request, context: context, scratch: workspace.location.scratch)
        } catch let refusal as WorkbenchRefusal {
            return Refusal.page(refusal.status, refusal.sentence)
        }
        defer { upload.discard() }
        return try await Action.finish(workbench, context, back: upload.fields.back) {
            let files = upload.files[field] ?? []
            if files.isEmpty, let missing { throw WorkbenchRefusal(.badRequest, missing) }
            return try attach(files, upload.fields, workspace)
        }
    }
}
