import FieldbookModel

/// The JSON shapes of the files in `Resources/catalogs` (copied from `../shared/catalogs`
/// by `Scripts/import-catalogs.sh`). Only what Fieldbook reads is declared.
enum CatalogFiles {
    struct Source: Decodable {
        let document: String?
        let url: String?
        let publisher: String?
    }

    struct NISTFile: Decodable {
        let framework_id: String
        let name: String
        let version: String
        let publication: String
        let source: Source
        let license: String?
        let functions: [Function]
        let categories: [Category]
        let subcategories: [Subcategory]

        struct Function: Decodable {
            let id: String
            let title: String
            let summary: String
            let description: String
        }

        struct Category: Decodable {
            let id: String
            let ref: String
            let function: String
            let text: String
        }

        struct Subcategory: Decodable {
            let id: String
            let ref: String
            let function: String
            let category: String
            let text: String
        }
    }

    struct ISOFile: Decodable {
        let framework_id: String
        let name: String
        let version: String
        let publication: String
        let source: Source
        let license: String?
        let clauses: [Clause]
        let annex_a_objectives: [Objective]
        let annex_a_controls: [Control]

        struct Clause: Decodable {
            let id: String
            let title: String
            let parent: String?
            let assessable: Bool
            let description: String?
        }

        struct Objective: Decodable {
            let id: String
            let title: String
            let parent: String?
            let description: String?
        }

        struct Control: Decodable {
            let id: String
            let title: String
            let objective: String
            let guidance_ref: String
            let description: String?
        }
    }

    struct CrosswalkFile: Decodable {
        let crosswalk_id: String
        let version: String
        let source: Source
        let normalization: [String]
        let mappings: [Row]

        struct Row: Decodable {
            let source_id: String
            let target_id: String
            let relationship: String
            let inverse_relationship: String
            let published_ref: String
            let published_title: String
            let source: String
            let note: String?
        }
    }
}
