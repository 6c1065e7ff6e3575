import Foundation
import Testing

/// The client's spreadsheet through the real binary and outside readers (issue 30): openpyxl
/// reads the export and sees the sheet protected, the status list and which columns are open;
/// a client's edits made with openpyxl (re-sorted, blank rows, an added row, a comment with a
/// line break and quotes, file names) import, attaching the files found beside it; LibreOffice's
/// re-save imports the same; CSV too; bad cells, formulas, an oversized file and a zip bomb are
/// refused in one sentence with exit 1, nothing written.
@Suite(.serialized)
struct RequestSheetCommandTests {
    /// A workspace with three requests, and their ids in the order added.
    private func engagement() throws -> (CLIWorkspace, [String]) {
        let ws = try CLIWorkspace()
        let ids = [
            try ws.ok("request", "add", "AI policy, signed", "--requirement", "5.2", "--from", "Dana", "--due", "2099-01-31", "--description", "Board-approved"),
            try ws.ok("request", "add", "Model cards", "--requirement", "MP-4.1", "--requirement", "A.6.2.7", "--due", "2099-02-28"),
            try ws.ok("request", "add", "Access review log", "--requirement", "A.6.2.8", "--due", "2099-03-31"),
        ]
        return (ws, ids)
    }

    private func python(_ script: String, in folder: URL) throws -> String {
        let (status, output) = try ExternalTool.run(["python3", "-c", script], in: folder)
        #expect(status == 0, "python3: \(output)")
        return output
    }

    private func request(_ ws: CLIWorkspace, _ id: String) throws -> [String: Any] {
        try #require(try ws.run("request", "show", id, "--json").json["request"] as? [String: Any])
    }

    /// What a client does with openpyxl: rows reversed below a blank line, a row added, statuses,
    /// a comment with a line break and quotes, and file names; `extra` runs after that.
    private func fill(_ source: String, into target: String, ids: [String], in folder: URL, extra: String = "") throws {
        _ = try python("""
            import openpyxl
            wb = openpyxl.load_workbook("\(source)")
            ws = wb["Requests"]
            rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
            ws.delete_rows(2, ws.max_row)
            ws.append([None] * 7)
            for row in reversed(rows):
                ws.append(row)
            ws.append([None, "Also the retention policy", None, None, "requested", "we will send it", None])
            for row in ws.iter_rows(min_row=2):
                if row[0].value == "\(ids[0])":
                    row[4].value = "received"
                    row[5].value = 'Signed on 3 March\\nsee "policy v2"'
                    row[6].value = "policy.pdf; board minutes.pdf"
                if row[0].value == "\(ids[2])":
                    row[4].value = "received"
                    row[6].value = "access-log.csv"
            \(extra)
            wb.save("\(target)")
            """, in: folder)
    }

    @Test("openpyxl sees the export protected, with the status list and only the client's columns open; its edits import, files attached")
    func roundTrip() throws {
        let (ws, ids) = try engagement()
        let client = ws.folder.appendingPathComponent("client")
        try FileManager.default.createDirectory(at: client, withIntermediateDirectories: true)
        let exported = client.appendingPathComponent("requests.xlsx").path
        try ws.ok("request", "export", "--format", "xlsx", "-o", exported)
        let seen = try python("""
            import openpyxl
            wb = openpyxl.load_workbook("\(exported)")
            ws = wb["Requests"]
            print(ws.protection.sheet)
            for dv in ws.data_validations.dataValidation:
                print(dv.type, dv.formula1, dv.sqref)
            print([c.value for c in ws[1]])
            print([c.protection.locked for c in ws[2]])
            print(ws["A2"].value, ws["D2"].value.date())
            """, in: client)
        let lines = seen.split(separator: "\n").map(String.init)
        #expect(lines.first == "True", "\(seen)")
        #expect(lines.dropFirst().first?.hasPrefix(#"list "requested,received,accepted,rejected,cancelled" E2:E"#) == true, "\(seen)")
        #expect(lines.contains("['id', 'what', 'requirement', 'due', 'status', 'client comment', 'file names']"), "\(seen)")
        #expect(lines.contains("[True, True, True, True, False, False, False]"), "\(seen)")
        #expect(lines.contains("\(ids[0]) 2099-01-31"), "\(seen)")

        try Data("signed policy".utf8).write(to: client.appendingPathComponent("policy.pdf"))
        try Data("minutes".utf8).write(to: client.appendingPathComponent("board minutes.pdf"))
        try Data("user,reviewed\n".utf8).write(to: client.appendingPathComponent("access-log.csv"))
        try fill(exported, into: "filled.xlsx", ids: ids, in: client)
        // A copy of the workspace before the import, for LibreOffice's re-save below.
        let bundle = ws.folder.appendingPathComponent("before.fbbundle").path
        try ws.ok("bundle", "export", "-o", bundle)

        let outcome = try ws.run("request", "import", client.appendingPathComponent("filled.xlsx").path, "--json").json
        #expect(Set(outcome["updated"] as? [String] ?? []) == [ids[0], ids[2]])
        #expect((outcome["attached"] as? [[String: Any]])?.compactMap { $0["filename"] as? String }.sorted() == ["access-log.csv", "board minutes.pdf", "policy.pdf"])
        #expect(outcome["unchanged"] as? Int == 1)
        #expect((outcome["ignored_rows"] as? [String])?.count == 1)
        let policy = try request(ws, ids[0])
        #expect(policy["status"] as? String == "received" && policy["client_comment"] as? String == "Signed on 3 March\nsee \"policy v2\"")
        let files = try #require(try ws.run("request", "show", ids[0], "--json").json["evidence"] as? [[String: Any]])
        #expect(Set(files.compactMap { $0["filename"] as? String }) == ["policy.pdf", "board minutes.pdf"])
        #expect(files.allSatisfy { $0["requirements"] as? [String] == ["iso42001:5.2"] })
        #expect(try request(ws, ids[1])["status"] as? String == "requested")
        #expect(try ws.ok("status").contains("1 evidence file") == false)

        // The same sheet again changes nothing; a fresh export carries the answers back.
        let before = try ws.export()
        #expect(try ws.ok("request", "import", client.appendingPathComponent("filled.xlsx").path).hasSuffix("held nothing new."))
        #expect(try ws.export() == before)
        let again = client.appendingPathComponent("again.xlsx").path
        try ws.ok("request", "export", "-o", again)
        let carried = try python("""
            import openpyxl
            ws = openpyxl.load_workbook("\(again)")["Requests"]
            for row in ws.iter_rows(min_row=2, values_only=True):
                if row[0] == "\(ids[0])": print(repr(row[5]), repr(row[6]))
            """, in: client)
        #expect(carried.contains(#"'Signed on 3 March\nsee "policy v2"' 'policy.pdf; board minutes.pdf'"#) || carried.contains(#"'Signed on 3 March\nsee "policy v2"' 'board minutes.pdf; policy.pdf'"#), "\(carried)")

        // LibreOffice's re-save of the client's file imports the same into the copy.
        let (probe, _) = try ExternalTool.run(["sh", "-c", "command -v soffice"])
        guard probe == 0 else {
            print("Note: LibreOffice (soffice) is not installed; the LibreOffice re-save is not checked.")
            return
        }
        let saved = client.appendingPathComponent("libreoffice")
        let (converted, log) = try ExternalTool.run(["env", "HOME=\(ws.folder.path)", "soffice", "--headless", "--norestore", "--convert-to", "xlsx",
                                                     "--outdir", saved.path, client.appendingPathComponent("filled.xlsx").path])
        guard converted == 0, FileManager.default.fileExists(atPath: saved.appendingPathComponent("filled.xlsx").path) else {
            print("Note: LibreOffice could not convert spreadsheets here (no Calc?): \(log.prefix(200)); the re-save is not checked.")
            return
        }
        for name in ["policy.pdf", "board minutes.pdf", "access-log.csv"] {
            try FileManager.default.copyItem(at: client.appendingPathComponent(name), to: saved.appendingPathComponent(name))
        }
        let copy = try CLIWorkspace(initialize: false)
        try copy.ok("clone", bundle, "--assessor", "Cy")
        let fromLibreOffice = try copy.run("request", "import", saved.appendingPathComponent("filled.xlsx").path, "--json").json
        #expect(Set(fromLibreOffice["updated"] as? [String] ?? []) == [ids[0], ids[2]])
        for id in ids {
            let (mine, theirs) = (try request(ws, id), try request(copy, id))
            #expect(mine["status"] as? String == theirs["status"] as? String && mine["client_comment"] as? String == theirs["client_comment"] as? String)
        }
    }

    @Test("CSV: exported, edited as a client would, imported; the formula escape of the reports' CSV undone")
    func csv() throws {
        let (ws, ids) = try engagement()
        let sheet = ws.folder.appendingPathComponent("requests.csv")
        try ws.ok("request", "export", "--format", "csv", "-o", sheet.path)
        try Data("log".utf8).write(to: ws.folder.appendingPathComponent("log.csv"))
        _ = try python("""
            import csv
            rows = list(csv.reader(open("requests.csv", newline="", encoding="utf-8")))
            header, body = rows[0], rows[1:]
            body.reverse()
            for row in body:
                if row[0] == "\(ids[1])": row[4], row[5] = "rejected", "-- cards are drafts, \\"v0\\""
                if row[0] == "\(ids[2])": row[6] = "log.csv"
            with open("requests.csv", "w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(header); writer.writerow([]); writer.writerows(body)
            """, in: ws.folder)
        try ws.ok("request", "import", sheet.path)
        #expect(try request(ws, ids[1])["status"] as? String == "rejected")
        #expect(try request(ws, ids[1])["client_comment"] as? String == "-- cards are drafts, \"v0\"")
        #expect(try request(ws, ids[2])["status"] as? String == "received")
    }

    @Test("a bad cell, a formula, an unknown id, a missing file, an oversized file and a zip bomb: one sentence, exit 1, nothing written")
    func refusals() throws {
        let (ws, ids) = try engagement()
        let exported = ws.folder.appendingPathComponent("requests.xlsx").path
        try ws.ok("request", "export", "-o", exported)
        let cases: [(String, String)] = [
            ("ws['E3'] = 'done'", "Sheet 'Requests', row 3, column E (status): 'done' is not a status; use one of requested, received, accepted, rejected, cancelled."),
            ("ws['F2'] = '=HYPERLINK(\"http://example.com\")'", "Sheet 'Requests', row 2, column F (client comment) holds a formula; type the value itself."),
            ("ws['A4'] = '0193ffff-0000'", "Sheet 'Requests', row 4, column A (id): no request '0193ffff-0000' in this engagement"),
            ("ws['G2'] = 'nowhere.pdf'", "Sheet 'Requests', row 2, column G (file names): no file 'nowhere.pdf' beside the spreadsheet"),
        ]
        for (index, (edit, sentence)) in cases.enumerated() {
            let name = "bad-\(index).xlsx"
            // Row 2 also carries a good answer, which must not be written either.
            _ = try python("""
                import openpyxl
                wb = openpyxl.load_workbook("\(exported)")
                ws = wb["Requests"]
                ws["E2"] = "accepted"
                \(edit)
                wb.save("\(name)")
                """, in: ws.folder)
            try ws.expectRefusal(["request", "import", ws.folder.appendingPathComponent(name).path], status: 1, mentioning: sentence)
            let refusal = try ws.run("request", "import", ws.folder.appendingPathComponent(name).path)
            #expect(refusal.stderr.split(separator: "\n").count == 1, "\(refusal.stderr)")
        }
        #expect(try request(ws, ids[0])["status"] as? String == "requested")

        // 50 MB is refused before it is read.
        let large = ws.folder.appendingPathComponent("large.xlsx")
        FileManager.default.createFile(atPath: large.path, contents: nil)
        let handle = try FileHandle(forWritingTo: large)
        try handle.truncate(atOffset: 50 << 20)
        try handle.close()
        try ws.expectRefusal(["request", "import", large.path], status: 1, mentioning: "large.xlsx is 50 MB; a request list Fieldbook reads is at most 10 MB.")
        // A zip bomb renamed .xlsx: a few hundred kilobytes that inflate to a gigabyte.
        _ = try python("""
            import zipfile
            with zipfile.ZipFile("bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("xl/workbook.xml", '<workbook><sheets><sheet name="Requests" r:id="rId1"/></sheets></workbook>')
                with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
                    chunk = b"\\0" * (1 << 20)
                    for _ in range(1024): part.write(chunk)
            """, in: ws.folder)
        try ws.expectRefusal(["request", "import", ws.folder.appendingPathComponent("bomb.xlsx").path], status: 1,
                             mentioning: "bomb.xlsx unpacks to more than 32 MB")
        try ws.expectRefusal(["request", "import", try ws.file("notes.xlsx", "id,status\n").path], status: 1, mentioning: "is not an XLSX file")
        try ws.expectRefusal(["request", "import", ws.folder.appendingPathComponent("absent.xlsx").path], status: 2)
    }
}
