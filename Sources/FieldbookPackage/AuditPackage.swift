/// The audit file: one archive holding every report, the OSCAL results, the evidence, the
/// signed history and a signed manifest of them all.
public enum AuditPackage {}
