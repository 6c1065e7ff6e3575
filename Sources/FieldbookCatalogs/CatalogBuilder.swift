import FieldbookModel

/// Turns the decoded catalog files into the model's catalog values.
enum CatalogBuilder {
    static func nist(_ file: CatalogFiles.NISTFile) -> FrameworkCatalog {
        let fw = FrameworkID.nistAIRMF
        func id(_ local: String) -> RequirementID { RequirementID(framework: fw, local: local) }
        var requirements: [Requirement] = []
        for function in file.functions {
            requirements.append(Requirement(
                id: id(function.id), level: .function, ref: function.id, title: function.title,
                text: function.description, parent: nil, assessable: false, extra: ["summary": function.summary]))
            for category in file.categories where category.function == function.id {
                requirements.append(Requirement(
                    id: id(category.id), level: .category, ref: category.ref, title: nil,
                    text: category.text, parent: id(function.id), assessable: false))
                for sub in file.subcategories where sub.category == category.id {
                    requirements.append(Requirement(
                        id: id(sub.id), level: .subcategory, ref: sub.ref, title: nil,
                        text: sub.text, parent: id(category.id), assessable: true))
                }
            }
        }
        return FrameworkCatalog(framework: fw, name: file.name, version: file.version, publication: file.publication,
                                sourceURL: file.source.url, license: file.license, requirements: requirements)
    }

    static func iso(_ file: CatalogFiles.ISOFile) -> FrameworkCatalog {
        let fw = FrameworkID.iso42001
        func id(_ local: String) -> RequirementID { RequirementID(framework: fw, local: local) }
        var requirements: [Requirement] = file.clauses.map {
            Requirement(id: id($0.id), level: .clause, ref: $0.id, title: $0.title, text: $0.description,
                        parent: $0.parent.map(id), assessable: $0.assessable)
        }
        // Annex A in publication order: each objective followed by its sub-objectives and controls.
        for objective in file.annexAObjectives {
            requirements.append(Requirement(
                id: id(objective.id), level: .objective, ref: objective.id, title: objective.title,
                text: objective.description, parent: objective.parent.map(id), assessable: false))
            for control in file.annexAControls where control.objective == objective.id {
                requirements.append(Requirement(
                    id: id(control.id), level: .control, ref: control.id, title: control.title,
                    text: control.description, parent: id(objective.id), assessable: true,
                    extra: ["guidance_ref": control.guidanceRef]))
            }
        }
        requirements = annexOrdered(requirements)
        return FrameworkCatalog(framework: fw, name: file.name, version: file.version, publication: file.publication,
                                sourceURL: file.source.url, license: file.license, requirements: requirements)
    }

    /// Clauses first, then Annex A by its numbering, so A.6.1 and A.6.2 follow A.6.
    private static func annexOrdered(_ requirements: [Requirement]) -> [Requirement] {
        let clauses = requirements.filter { $0.level == .clause }
        let annex = requirements.filter { $0.level != .clause }.sorted { $0.id < $1.id }
        return clauses + annex
    }

    static func crosswalk(_ file: CatalogFiles.CrosswalkFile) throws(CatalogLoadError) -> Crosswalk {
        var rows: [CrosswalkRow] = []
        for row in file.mappings {
            guard let source = RequirementID(qualified: row.sourceID),
                  let target = RequirementID(qualified: row.targetID),
                  let relationship = Relationship(rawValue: row.relationship),
                  let inverse = Relationship(rawValue: row.inverseRelationship) else {
                throw CatalogLoadError(file: "crosswalk-nist-ai-rmf-iso42001.json",
                                       reason: "row \(row.sourceID) -> \(row.targetID) does not parse")
            }
            rows.append(CrosswalkRow(source: source, target: target, relationship: relationship,
                                     inverseRelationship: inverse, publishedRef: row.publishedRef,
                                     publishedTitle: row.publishedTitle, origin: row.source, note: row.note))
        }
        return Crosswalk(id: file.crosswalkID, version: file.version, document: file.source.document ?? "",
                         publisher: file.source.publisher ?? "", url: file.source.url ?? "",
                         normalization: file.normalization, rows: rows)
    }
}
