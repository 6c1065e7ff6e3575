import FieldbookModel
import FieldbookStore

/// The fieldwork workpapers (issue 30; ISO 19011:2018 Annex A.6 and ISO/IEC 42001 9.2 ask for a
/// documented sampling method and retained records): every sampled test with its population
/// (file, SHA-256, rows, header), the recorded draw (seed, size, frequency, method), each item
/// drawn and what testing it found, and the test's conclusion; then every interview.
public struct Workpapers: Encodable, Sendable {
    public let document: DocumentControl
    public let engagement: String
    public let tests: [Test]
    public let interviews: [InterviewEntry]

    public struct Test: Encodable, Sendable {
        public let id: String
        public let title: String
        public let description: String?
        public let requirements: [String]
        public let population: Population
        public let seed: Int?
        public let size: Int?
        public let frequency: String?
        public let method: String?
        /// not-started, in-progress, passed or exceptions.
        public let conclusion: String
        /// The conclusion in words: "all 5 items passed".
        public let summary: String
        public let items: [Item]
        public let conflicted: Bool
    }

    public struct Population: Encodable, Sendable {
        public let file: String?
        public let sha256: String?
        public let rows: Int?
        public let header: String?
    }

    public struct Item: Encodable, Sendable {
        public let row: Int?
        public let key: String?
        /// Its place in the draw, from 1.
        public let draw: Int?
        /// pass or exception; nil while not recorded.
        public let result: String?
        public let exception: String?
        public let evidence: [String]
        public let findings: [String]
        public let conflicted: Bool
    }

    public struct InterviewEntry: Encodable, Sendable {
        public let id: String
        public let interviewee: String?
        public let role: String?
        public let date: String?
        public let requirements: [String]
        public let notes: String?
        public let conflicted: Bool
    }

    public init(data: ReportData) {
        document = data.document
        engagement = data.engagementName
        let names = Dictionary(data.evidence.map { ($0.id.rawValue, $0.filename ?? $0.id.rawValue) }) { first, _ in first }
        tests = data.tests.sorted { ($0.title ?? "", $0.id) < ($1.title ?? "", $1.id) }.map { test in
            let items = data.items(of: test)
            let conclusion = items.conclusion
            return Test(id: test.id.rawValue, title: test.title ?? "(untitled)", description: test.description, requirements: test.requirements,
                        population: Population(file: test.populationFile, sha256: test.populationSHA256, rows: test.populationRows,
                                               header: test.populationHeader),
                        seed: test.seed, size: test.size, frequency: test.frequency?.rawValue, method: test.method?.rawValue,
                        conclusion: conclusion.word, summary: conclusion.sentence,
                        items: items.map { item in
                            Item(row: item.row, key: item.key, draw: item.draw, result: item.result?.rawValue,
                                 exception: item.result == .exception ? item.exception : nil,
                                 evidence: item.evidence.map { names[$0] ?? $0 }, findings: item.findings,
                                 conflicted: !item.conflictedFields.isEmpty)
                        },
                        conflicted: !test.conflictedFields.isEmpty)
        }
        interviews = data.interviews.sorted { ($0.date ?? "", $0.id) < ($1.date ?? "", $1.id) }.map {
            InterviewEntry(id: $0.id.rawValue, interviewee: $0.interviewee, role: $0.role, date: $0.date, requirements: $0.requirements,
                           notes: $0.notes, conflicted: !$0.conflictedFields.isEmpty)
        }
    }

    /// Counts the key figures state.
    var itemsTested: Int { tests.reduce(0) { $0 + $1.items.filter { $0.result != nil }.count } }
    var itemsDrawn: Int { tests.reduce(0) { $0 + $1.items.count } }
    var exceptions: Int { tests.reduce(0) { $0 + $1.items.filter { $0.result == SampleResult.exception.rawValue }.count } }
}
