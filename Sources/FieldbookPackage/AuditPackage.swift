/// The audit file: one ZIP archive holding every report, the OSCAL results, the evidence, the
/// signed history and a signed manifest of them all (`docs/package.md`).
///
///     manifest.json                   format, engagement, version, signer, every file's size and SHA-256
///     manifest.sig                    Ed25519 over manifest.json's exact bytes (base64), see `ManifestSignature`
///     reports/gap-nist-ai-rmf.html    and .docx; likewise gap-iso42001, risks, soa, progress, findings
///     oscal/assessment-results.json   OSCAL 1.1.3 assessment results
///     evidence/<file name>            each evidence file by its own name, made unique
///     libraries/<urn segment>.json    each pinned framework or mapping library, canonical form
///     history/engagement.fbbundle     the signed change history, a full bundle without evidence
///
/// `AuditPackage.export` writes one (`PackageExport.swift`), `AuditPackage.verify` checks one
/// without any workspace (`PackageVerifier.swift`).
public enum AuditPackage {
    /// The manifest and its signature, the two files the manifest does not list.
    public static let manifestPath = "manifest.json"
    public static let signaturePath = "manifest.sig"
    /// The signed history: the verifier reads it to learn which key speaks for the signer.
    public static let historyPath = "history/engagement.fbbundle"
    static let reportsFolder = "reports"
    static let oscalPath = "oscal/assessment-results.json"
    static let evidenceFolder = "evidence"
    static let librariesFolder = "libraries"
}
