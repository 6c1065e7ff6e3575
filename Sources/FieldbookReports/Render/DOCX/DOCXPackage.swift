import Foundation
import ZIPFoundation

/// The Open Packaging Conventions container of a Word document: each part's XML, the content
/// types and relationships that tie them together, and the ZIP they travel in.
///
/// The bytes are deterministic: parts are written in a fixed order, each with the
/// modification date of the document's generation day (midnight UTC), so two renders of one
/// report are byte-identical, like the JSON and CSV formats.
enum DOCXPackage {
    /// Relationship ids from `word/document.xml` to its header and footer (read by the section properties).
    static let headerRelationship = "rIdHeader", footerRelationship = "rIdFooter"

    /// One file in the package.
    struct Part {
        let path: String
        let xml: String
    }

    /// The document's parts, `[Content_Types].xml` first as readers of the format expect.
    static func parts(_ document: WordDocument) -> [Part] {
        [
            Part(path: "[Content_Types].xml", xml: contentTypes),
            Part(path: "_rels/.rels", xml: packageRelationships),
            Part(path: "docProps/core.xml", xml: coreProperties(document)),
            Part(path: "docProps/app.xml", xml: appProperties),
            Part(path: "word/document.xml", xml: WordprocessingML.document(document)),
            Part(path: "word/styles.xml", xml: WordStyles.xml),
            Part(path: "word/settings.xml", xml: settings),
            Part(path: "word/header1.xml", xml: WordprocessingML.header(document)),
            Part(path: "word/footer1.xml", xml: WordprocessingML.footer(document)),
            Part(path: "word/_rels/document.xml.rels", xml: documentRelationships),
        ]
    }

    /// The `.docx` file's bytes, built in memory.
    static func data(_ document: WordDocument) throws -> Data {
        let archive = try Archive(accessMode: .create)
        let date = modificationDate(document.control.generated)
        for part in parts(document) {
            let bytes = Data(part.xml.utf8)
            try archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: date,
                                 permissions: 0o644, compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position)..<min(Int(position) + size, bytes.count))
            }
        }
        guard let data = archive.data else { throw DOCXError.noArchive }
        return data
    }

    /// Midnight UTC of `generated` (YYYY-MM-DD), or 1980-01-01 (the earliest date ZIP can hold) when it does not parse.
    static func modificationDate(_ generated: String) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let parts = generated.split(separator: "-").compactMap { Int($0) }
        let fallback = DateComponents(year: 1980, month: 1, day: 1)
        let components = parts.count == 3 ? DateComponents(year: parts[0], month: parts[1], day: parts[2]) : fallback
        return calendar.date(from: components) ?? calendar.date(from: fallback) ?? Date(timeIntervalSince1970: 315_532_800)
    }

    // MARK: Package parts

    static let contentTypes = WordprocessingML.declaration
        + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
        + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
        + #"<Default Extension="xml" ContentType="application/xml"/>"#
        + #"<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#
        + #"<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>"#
        + #"<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>"#
        + #"<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>"#
        + #"<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>"#
        + #"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#
        + #"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#
        + "</Types>"

    static let packageRelationships = WordprocessingML.declaration
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#
        + #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#
        + #"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>"#
        + "</Relationships>"

    static let documentRelationships = WordprocessingML.declaration
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
        + #"<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>"#
        + "<Relationship Id=\"\(headerRelationship)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>"
        + "<Relationship Id=\"\(footerRelationship)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>"
        + "</Relationships>"

    /// Word 2013+ layout (no compatibility mode), A4-friendly defaults.
    static let settings = WordprocessingML.declaration + "<w:settings \(WordprocessingML.namespaces)>"
        + #"<w:zoom w:percent="100"/><w:defaultTabStop w:val="709"/><w:characterSpacingControl w:val="doNotCompress"/>"#
        + #"<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>"#
        + "</w:settings>"

    /// Title, the assessors as creators, the generation day, and draft or final as the content status.
    static func coreProperties(_ document: WordDocument) -> String {
        let control = document.control
        let created = control.generated.count == 10 ? "\(control.generated)T00:00:00Z" : "1980-01-01T00:00:00Z"
        return WordprocessingML.declaration
            + #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
            + "<dc:title>\(XMLText.escape(document.title))</dc:title>"
            + "<dc:subject>\(XMLText.escape(control.engagement))</dc:subject>"
            + "<dc:creator>\(XMLText.escape(control.assessors.joined(separator: "; ")))</dc:creator>"
            + "<dc:identifier>\(XMLText.escape(control.engagementID))</dc:identifier>"
            + "<cp:contentStatus>\(control.status == .final ? "Final" : "Draft")</cp:contentStatus>"
            + "<cp:version>\(XMLText.escape(control.version))</cp:version>"
            + "<dcterms:created xsi:type=\"dcterms:W3CDTF\">\(XMLText.escape(created))</dcterms:created>"
            + "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">\(XMLText.escape(created))</dcterms:modified>"
            + "</cp:coreProperties>"
    }

    static let appProperties = WordprocessingML.declaration
        + #"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#
        + "<Application>Fieldbook</Application><DocSecurity>0</DocSecurity></Properties>"
}

/// Why a Word document could not be produced.
enum DOCXError: Error {
    /// ZIPFoundation returned no bytes for the in-memory archive (it always should).
    case noArchive
}
