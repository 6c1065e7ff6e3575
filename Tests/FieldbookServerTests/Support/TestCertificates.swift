import Foundation

/// A private certificate authority and server certificates made with `openssl` for one test,
/// in a temporary folder removed with it.
final class TestCertificates: @unchecked Sendable {
    let folder: URL
    var authority: URL { folder.appendingPathComponent("ca.pem") }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
                     "-out", "ca.pem", "-days", "2", "-subj", "/CN=Fieldbook test CA"])
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// A certificate for `names` (IP addresses or DNS names) signed by this test's authority;
    /// returns the certificate and key files.
    func server(named names: [String], file: String = "server") throws -> (certificate: String, key: String) {
        try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "\(file).key",
                     "-out", "\(file).csr", "-subj", "/CN=\(names[0])"])
        let alternatives = names.map { $0.first?.isNumber == true ? "IP:\($0)" : "DNS:\($0)" }.joined(separator: ",")
        try Data("subjectAltName=\(alternatives)\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n".utf8)
            .write(to: folder.appendingPathComponent("\(file).cnf"))
        try openssl(["x509", "-req", "-in", "\(file).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                     "-out", "\(file).pem", "-days", "2", "-extfile", "\(file).cnf"])
        return (folder.appendingPathComponent("\(file).pem").path, folder.appendingPathComponent("\(file).key").path)
    }

    private func openssl(_ arguments: [String]) throws {
        let result = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/openssl"), arguments, workingDirectory: folder)
        guard result.status == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl \(arguments.first ?? ""): \(result.stderr)"])
        }
    }
}
