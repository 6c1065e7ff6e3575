import FieldbookModel

/// A sampled test of a control (a workpaper, issue 30): what is tested, against which
/// requirements, and the recorded draw: the population file's name, SHA-256, row count and
/// header, the seed, size, frequency and method. Its items are `SampleItem`s.
public struct SampledTest: TypedEntity {
    /// The field enumeration this entity is read through.
    public typealias Field = TestField
    public let record: EntityRecord
    public init(unchecked record: EntityRecord) { self.record = record }

    public var title: String? { text(.title) }
    public var description: String? { text(.description) }
    public var populationFile: String? { text(.populationFile) }
    public var populationSHA256: String? { text(.populationSHA256) }
    public var populationRows: Int? { integer(.populationRows) }
    /// The population's header row, as CSV.
    public var populationHeader: String? { text(.populationHeader) }
    public var seed: Int? { integer(.seed) }
    public var size: Int? { integer(.size) }
    /// The control frequency the size came from; nil when the size was given.
    public var frequency: ControlFrequency? { choice(.frequency) }
    public var method: SamplingMethod? { choice(.method) }
    public var requirements: [String] { links(.requirements) }
}

/// One item a test drew: its row in the population file (as a spreadsheet numbers it, the
/// header being row 1), the row's first column, its place in the draw, and what testing it found.
public struct SampleItem: TypedEntity {
    /// The field enumeration this entity is read through.
    public typealias Field = SampleField
    public let record: EntityRecord
    public init(unchecked record: EntityRecord) { self.record = record }

    /// The test that drew it.
    public var test: String? { links(.test).first }
    public var row: Int? { integer(.row) }
    public var key: String? { text(.key) }
    /// Its place in the draw, from 1.
    public var draw: Int? { integer(.draw) }
    /// What testing it found; nil while it is not recorded.
    public var result: SampleResult? { choice(.result) }
    public var exception: String? { text(.exception) }
    public var evidence: [String] { links(.evidence) }
    public var findings: [String] { links(.findings) }
}

extension Sequence where Element == SampleItem {
    /// The test's conclusion from these items' results (`TestConclusion`).
    public var conclusion: TestConclusion { TestConclusion(results: map(\.result)) }
}
