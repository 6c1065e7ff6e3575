/// `word/styles.xml`: the named styles the document's paragraphs and tables use. Headings
/// carry outline levels (Word's navigation pane and table of contents read them) and keep
/// with the next paragraph, so a heading never ends a page alone.
enum WordStyles {
    static let font = "Calibri"

    static var xml: String {
        WordprocessingML.declaration + "<w:styles \(WordprocessingML.namespaces)>" + defaults
            + paragraphStyle("Normal", name: "Normal", isDefault: true, paragraph: #"<w:spacing w:after="120" w:line="264" w:lineRule="auto"/>"#)
            + paragraphStyle("Title", name: "Title", next: "Normal",
                             paragraph: #"<w:spacing w:before="0" w:after="60"/>"#,
                             run: #"<w:b/><w:bCs/><w:color w:val="1D2330"/><w:sz w:val="44"/><w:szCs w:val="44"/>"#)
            + paragraphStyle("Subtitle", name: "Subtitle", next: "Normal",
                             paragraph: #"<w:spacing w:after="200"/>"#,
                             run: #"<w:color w:val="5A6270"/><w:sz w:val="26"/><w:szCs w:val="26"/>"#)
            + heading(1, size: 32, before: 360, colour: "1D2330")
            + heading(2, size: 26, before: 240, colour: "2B3445")
            + heading(3, size: 22, before: 200, colour: "2B3445")
            + paragraphStyle("Note", name: "Note", paragraph: #"<w:spacing w:after="80"/>"#,
                             run: #"<w:color w:val="5A6270"/><w:sz w:val="18"/><w:szCs w:val="18"/>"#)
            + paragraphStyle("TableText", name: "Table Text", paragraph: #"<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>"#,
                             run: #"<w:sz w:val="18"/><w:szCs w:val="18"/>"#)
            + paragraphStyle("AfterTable", name: "After Table", paragraph: #"<w:spacing w:before="0" w:after="120" w:line="240" w:lineRule="auto"/>"#,
                             run: #"<w:sz w:val="12"/><w:szCs w:val="12"/>"#)
            + paragraphStyle("Header", name: "header", paragraph: #"<w:spacing w:after="0"/>"#,
                             run: #"<w:sz w:val="17"/><w:szCs w:val="17"/>"#)
            + paragraphStyle("Footer", name: "footer", paragraph: #"<w:spacing w:after="0"/>"#,
                             run: #"<w:color w:val="5A6270"/><w:sz w:val="17"/><w:szCs w:val="17"/>"#)
            + tableStyles + "</w:styles>"
    }

    static let defaults = "<w:docDefaults><w:rPrDefault><w:rPr>"
        + "<w:rFonts w:ascii=\"\(font)\" w:hAnsi=\"\(font)\" w:eastAsia=\"\(font)\" w:cs=\"\(font)\"/>"
        + #"<w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>"#
        + #"<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>"#

    static func heading(_ level: Int, size: Int, before: Int, colour: String) -> String {
        paragraphStyle("Heading\(level)", name: "heading \(level)", next: "Normal",
                       paragraph: "<w:keepNext/><w:keepLines/><w:spacing w:before=\"\(before)\" w:after=\"120\"/><w:outlineLvl w:val=\"\(level - 1)\"/>",
                       run: "<w:b/><w:bCs/><w:color w:val=\"\(colour)\"/><w:sz w:val=\"\(size)\"/><w:szCs w:val=\"\(size)\"/>")
    }

    static func paragraphStyle(_ id: String, name: String, isDefault: Bool = false, next: String? = nil,
                               paragraph: String = "", run: String = "") -> String {
        "<w:style w:type=\"paragraph\"" + (isDefault ? " w:default=\"1\"" : "") + " w:styleId=\"\(id)\">"
            + "<w:name w:val=\"\(name)\"/>" + (isDefault ? "" : #"<w:basedOn w:val="Normal"/>"#)
            + (next.map { "<w:next w:val=\"\($0)\"/>" } ?? "") + "<w:qFormat/>"
            + (paragraph.isEmpty ? "" : "<w:pPr>\(paragraph)</w:pPr>") + (run.isEmpty ? "" : "<w:rPr>\(run)</w:rPr>") + "</w:style>"
    }

    /// Word needs a default table style; ours adds thin rules. Header rows are shaded and bold
    /// directly, not through the style's first-row formatting, which applies to key-value tables too.
    static let tableStyles = #"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#
        + #"<w:style w:type="table" w:styleId="FieldbookTable"><w:name w:val="Fieldbook Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:tblPr>"#
        + #"<w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="C3C9D3"/><w:left w:val="single" w:sz="4" w:space="0" w:color="C3C9D3"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="C3C9D3"/><w:right w:val="single" w:sz="4" w:space="0" w:color="C3C9D3"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="C3C9D3"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="C3C9D3"/></w:tblBorders>"#
        + #"</w:tblPr></w:style>"#
}
