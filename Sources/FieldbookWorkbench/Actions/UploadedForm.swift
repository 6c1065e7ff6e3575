import Foundation
import Hummingbird
import MultipartKit

/// A `multipart/form-data` form (an evidence upload): its text fields, and each file part
/// streamed to a file in the workspace's scratch folder as it arrives, never held whole in
/// memory. The token is checked once the fields are in; the files are removed by `discard`.
struct UploadedForm {
    var fields: FormInput
    /// The files sent, by field name: the name the browser gave and where the bytes are.
    var files: [String: [(filename: String, file: URL)]] = [:]

    /// Files larger than this are refused (a sealed bundle or sync moves larger ones).
    static let maximumFileBytes = 2 << 30

    static func read(_ request: Request, context: WorkbenchContext, scratch: URL) async throws -> UploadedForm {
        guard let type = request.headers[.contentType], let boundary = Self.boundary(type) else {
            throw WorkbenchRefusal(.badRequest, "The upload was not sent as a form with files; use the page's upload form.")
        }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let parser = MultipartParser(boundary: boundary)
        var headers: [String: String] = [:]
        var text = Data()
        var handle: FileHandle?
        var current: URL?
        var written = 0
        var values: [String: [String]] = [:]
        var files: [String: [(String, URL)]] = [:]
        var failure: WorkbenchRefusal?
        parser.onHeader = { name, value in headers[name.lowercased()] = value }
        parser.onBody = { buffer in
            guard failure == nil else { return }
            let (_, filename) = Self.disposition(headers["content-disposition"])
            if filename != nil {
                if handle == nil {
                    let url = scratch.appendingPathComponent("upload-" + UUID().uuidString)
                    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
                    handle = FileHandle(forWritingAtPath: url.path)
                    current = url
                }
                written += buffer.readableBytes
                if written > maximumFileBytes {
                    failure = WorkbenchRefusal(.contentTooLarge, "The file is larger than 2 GiB; attach it with 'fieldbook evidence add' instead.")
                    return
                }
                handle?.write(Data(buffer.readableBytesView))
            } else {
                text.append(contentsOf: buffer.readableBytesView)
                if text.count > context.maxUploadSize { failure = WorkbenchRefusal(.contentTooLarge, "A form field is larger than 1 MiB.") }
            }
        }
        parser.onPartComplete = {
            let (name, filename) = Self.disposition(headers["content-disposition"])
            if let name {
                if let filename, let url = current {
                    try? handle?.close()
                    if !filename.isEmpty { files[name, default: []].append((filename, url)) } else { try? FileManager.default.removeItem(at: url) }
                } else if filename == nil {
                    values[name, default: []].append(String(decoding: text, as: UTF8.self))
                }
            }
            headers = [:]; text = Data(); handle = nil; current = nil; written = 0
        }
        let discardAll = { for url in files.values.flatMap({ $0.map(\.1) }) + [current].compactMap({ $0 }) { try? FileManager.default.removeItem(at: url) } }
        do {
            for try await buffer in request.body {
                try parser.execute(buffer)
                if let failure { throw failure }
            }
        } catch let refusal as WorkbenchRefusal {
            discardAll()
            throw refusal
        } catch {
            discardAll()
            throw WorkbenchRefusal(.badRequest, "The upload could not be read (\(error)); send it again.")
        }
        var form = UploadedForm(fields: FormInput(values: values))
        form.files = files.mapValues { $0.map { (filename: $0.0, file: $0.1) } }
        do { try form.fields.checkToken(context) } catch { form.discard(); throw error }
        return form
    }

    func discard() {
        for file in files.values.flatMap({ $0 }) { try? FileManager.default.removeItem(at: file.file) }
    }

    static func boundary(_ contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() where part.lowercased().hasPrefix("boundary=") {
            return String(part.dropFirst("boundary=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }

    /// `form-data; name="file"; filename="a.pdf"`: the field's name and, for a file part, its file name.
    static func disposition(_ header: String?) -> (name: String?, filename: String?) {
        guard let header else { return (nil, nil) }
        var name: String?, filename: String?
        for part in header.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            let value = pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2 ? String(pair[1].dropFirst().dropLast()) : pair[1]
            switch pair[0].lowercased() {
            case "name": name = value
            case "filename": filename = (value as NSString).lastPathComponent
            default: break
            }
        }
        return (name, filename)
    }
}
