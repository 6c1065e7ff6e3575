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
        let frameworkID: String
        let name: String
        let version: String
        let publication: String
        let source: Source
        let license: String?
        let functions: [Function]
        let categories: [Category]
        let subcategories: [Subcategory]

        enum CodingKeys: String, CodingKey {
            case frameworkID = "framework_id"
            case name, version, publication, source, license, functions, categories, subcategories
        }

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
        let frameworkID: String
        let name: String
        let version: String
        let publication: String
        let source: Source
        let license: String?
        let clauses: [Clause]
        let annexAObjectives: [Objective]
        let annexAControls: [Control]

        enum CodingKeys: String, CodingKey {
            case frameworkID = "framework_id"
            case name, version, publication, source, license, clauses
            case annexAObjectives = "annex_a_objectives"
            case annexAControls = "annex_a_controls"
        }

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
            let guidanceRef: String
            let description: String?

            enum CodingKeys: String, CodingKey {
                case id, title, objective, description
                case guidanceRef = "guidance_ref"
            }
        }
    }

    struct CrosswalkFile: Decodable {
        let crosswalkID: String
        let version: String
        let source: Source
        let normalization: [String]
        let mappings: [Row]

        enum CodingKeys: String, CodingKey {
            case crosswalkID = "crosswalk_id"
            case version, source, normalization, mappings
        }

        struct Row: Decodable {
            let sourceID: String
            let targetID: String
            let relationship: String
            let inverseRelationship: String
            let publishedRef: String
            let publishedTitle: String
            let source: String
            let note: String?

            enum CodingKeys: String, CodingKey {
                case sourceID = "source_id"
                case targetID = "target_id"
                case relationship
                case inverseRelationship = "inverse_relationship"
                case publishedRef = "published_ref"
                case publishedTitle = "published_title"
                case source, note
            }
        }
    }
}
