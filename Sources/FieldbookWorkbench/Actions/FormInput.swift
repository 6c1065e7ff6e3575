import Foundation
import Hummingbird

/// A posted form's fields, read once the session's token in it is checked: a form that does
/// not echo the token was not made by this workbench's pages, and writes nothing.
struct FormInput {
    static let tokenField = "csrf"
    static let backField = "back"

    private(set) var values: [String: [String]] = [:]

    subscript(_ name: String) -> String? { values[name]?.first }
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// The text of a field, nil when absent or blank (a blank optional field leaves the value as it is).
    func text(_ name: String) -> String? {
        guard let value = self[name], !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return value
    }

    func integer(_ name: String, label: String) throws -> Int? {
        guard let text = text(name) else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw WorkbenchRefusal(.badRequest, "\(label) must be a whole number, not '\(text)'.")
        }
        return value
    }

    /// The page to return to after the write: a path on this origin only (never `//host`).
    var back: String {
        guard let back = self[Self.backField], back.hasPrefix("/"), !back.hasPrefix("//"), !back.contains("\\") else { return "/" }
        return back
    }

    init(values: [String: [String]]) { self.values = values }

    /// Reads a URL-encoded form body and checks its token.
    static func read(_ request: Request, context: WorkbenchContext) async throws -> FormInput {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let form = FormInput(values: parse(String(buffer: body)))
        try form.checkToken(context)
        return form
    }

    func checkToken(_ context: WorkbenchContext) throws {
        guard let session = context.session, let token = self[Self.tokenField],
              SessionGate.constantTimeEqual(Array(token.utf8), Array(session.formToken.utf8)) else {
            throw WorkbenchRefusal(.forbidden, "This form is not one of this workbench session's pages; reload the page and send it again.")
        }
    }

    /// `application/x-www-form-urlencoded`: `+` is a space, `%XX` a byte.
    static func parse(_ text: String) -> [String: [String]] {
        var values: [String: [String]] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            values[decode(parts[0]), default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
        return values
    }
}

/// A request the workbench refuses before it reaches the domain: a status and one sentence.
struct WorkbenchRefusal: Error {
    let status: HTTPResponse.Status
    let sentence: String
    init(_ status: HTTPResponse.Status, _ sentence: String) {
        self.status = status
        self.sentence = sentence
    }
}
