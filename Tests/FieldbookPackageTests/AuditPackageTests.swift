import Testing
@testable import FieldbookPackage

@Suite struct AuditPackageTests {}
