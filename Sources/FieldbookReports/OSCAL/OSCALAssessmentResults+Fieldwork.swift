import FieldbookModel
import FieldbookStore

// Fieldwork in OSCAL's own terms (issue 30): OSCAL names three assessment methods, and Fieldbook
// records each: a file examined (EXAMINE, `+Evidence`), an interview held (INTERVIEW) and a
// sampled test performed (TEST). Each interview and test is an observation with its method; the
// result of a requirement they speak to names it among its related observations, and its own
// observation lists every method behind it.
extension OSCALAssessmentResults {
    /// The observation that an interview was held: with whom, when, the notes taken.
    static func interviewObservation(_ interview: Interview, uuid: (String) -> String) -> Observation {
        Observation(uuid: uuid("interview:\(interview.id.rawValue)"), title: "Interview with \(interview.with)",
                    description: interview.notes.flatMap(\.nonEmpty) ?? "Interview with \(interview.with)\(interview.date.map { " on " + $0 } ?? "").",
                    props: [Prop(name: "fieldbook-id", value: interview.id.rawValue)]
                        + (interview.date.map { [Prop(name: "interview-date", value: $0)] } ?? []),
                    methods: ["INTERVIEW"], types: nil, relevantEvidence: nil,
                    collected: interview.date.map { $0 + "T00:00:00Z" } ?? Timestamps.rfc3339(interview.created),
                    remarks: interview.requirements.isEmpty ? nil : "Speaks to \(interview.requirements.joined(separator: ", ")).")
    }

    /// The observation that a sampled test was performed: the population and recorded draw,
    /// the conclusion, and each exception found.
    static func testObservation(_ test: SampledTest, in data: ReportData, uuid: (String) -> String) -> Observation {
        let items = data.items(of: test)
        let conclusion = items.conclusion
        let exceptions = items.filter { $0.result == .exception }.map { item in
            "row \(item.row ?? 0)\(item.key.flatMap(\.nonEmpty).map { " (\($0))" } ?? ""): \(item.exception ?? "exception")"
        }
        let draw = "\(counted(test.size ?? items.count, "item")) drawn from \(test.populationFile ?? "the population") "
            + "(\(counted(test.populationRows ?? 0, "row")), SHA-256 \(test.populationSHA256 ?? "-")) with seed \(test.seed ?? 0) "
            + "by \(test.method?.rawValue ?? "-")"
        let latest = ([test.updated] + items.map(\.updated)).max() ?? test.updated
        return Observation(
            uuid: uuid("test:\(test.id.rawValue)"), title: test.title,
            description: "\(test.description.map { $0 + ". " } ?? "")Sampled test: \(draw); \(conclusion.sentence)."
                + (exceptions.isEmpty ? "" : " Exceptions: " + exceptions.joined(separator: "; ") + "."),
            props: [Prop(name: "fieldbook-id", value: test.id.rawValue), Prop(name: "test-conclusion", value: conclusion.word),
                    Prop(name: "sample-size", value: "\(test.size ?? items.count)"), Prop(name: "sample-seed", value: "\(test.seed ?? 0)")]
                + (test.populationSHA256.map { [Prop(name: "population-sha256", value: $0)] } ?? []),
            methods: ["TEST"], types: nil, relevantEvidence: nil, collected: Timestamps.rfc3339(latest),
            remarks: test.requirements.isEmpty ? nil : "Tests the control of \(test.requirements.joined(separator: ", ")).")
    }

    /// The methods behind a requirement's result: EXAMINE for files, INTERVIEW, TEST; UNKNOWN
    /// when nothing is linked (Fieldbook records no method of its own for a result).
    static func methods(of requirement: RequirementID, in data: ReportData) -> [String] {
        let methods = [(!data.evidence(linkedTo: requirement).isEmpty, "EXAMINE"), (!data.interviews(linkedTo: requirement).isEmpty, "INTERVIEW"),
                       (!data.tests(linkedTo: requirement).isEmpty, "TEST")].filter(\.0).map(\.1)
        return methods.isEmpty ? ["UNKNOWN"] : methods
    }

    /// The interview and test observations behind a requirement's result.
    static func fieldworkObservations(of requirement: RequirementID, in data: ReportData, uuid: (String) -> String) -> [RelatedObservation] {
        data.interviews(linkedTo: requirement).map { RelatedObservation(observationUUID: uuid("interview:\($0.id.rawValue)")) }
            + data.tests(linkedTo: requirement).map { RelatedObservation(observationUUID: uuid("test:\($0.id.rawValue)")) }
    }
}
