import Foundation

/// Word documents of every report. (Being built: issue 18.)
enum DOCXRenderer {
    static func gap(_ report: GapReport) throws -> Data { throw DOCXError.notYet }
    static func risks(_ register: RiskRegister) throws -> Data { throw DOCXError.notYet }
    static func soa(_ soa: StatementOfApplicability) throws -> Data { throw DOCXError.notYet }
    static func progress(_ report: ProgressReport) throws -> Data { throw DOCXError.notYet }
    static func findings(_ register: FindingsRegister) throws -> Data { throw DOCXError.notYet }
}

enum DOCXError: Error { case notYet }
