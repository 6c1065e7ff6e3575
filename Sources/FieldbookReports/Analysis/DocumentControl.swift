import Crypto
import FieldbookModel
import FieldbookReplica
import Foundation

/// The title block every report opens with: whose engagement, what scope, who assessed,
/// when it was generated, which revision of the engagement it reflects, and whether it is a
/// draft or the final, approved document.
public struct DocumentControl: Encodable, Sendable {
    /// A report is a draft until the lead assessor issues it as final.
    public enum Status: String, Encodable, Sendable, CaseIterable {
        case draft, final
    }

    /// The client and engagement, as the engagement is named.
    public let engagement: String
    public let engagementID: String
    public let scope: String?
    /// Everyone who has recorded anything in the engagement, sorted.
    public let assessors: [String]
    /// The day the document was generated (UTC, YYYY-MM-DD).
    public let generated: String
    /// `revision.digest`: how many changes the engagement holds, and the first 8 hex digits
    /// of a hash over exactly which ones. It follows the content: two converged replicas
    /// print the same version, and any new change makes a new one.
    public let version: String
    public let status: Status
    /// Who approved a final document; nil leaves the signature block's name line blank.
    public let approvedBy: String?

    enum CodingKeys: String, CodingKey {
        case engagement, engagementID = "engagement_id", scope, assessors, generated, version, status, approvedBy = "approved_by"
    }

    public init(engagement: String, engagementID: String, scope: String?, assessors: [String], generated: String,
                version: String, status: Status = .draft, approvedBy: String? = nil) {
        self.engagement = engagement
        self.engagementID = engagementID
        self.scope = scope
        self.assessors = assessors
        self.generated = generated
        self.version = version
        self.status = status
        self.approvedBy = approvedBy
    }

    /// The version of a workspace holding exactly the changes of `vector`.
    public static func version(of vector: VersionVector) -> String {
        var hasher = SHA256()
        var total: UInt64 = 0
        for (site, entry) in vector.entries.sorted(by: { $0.key.text < $1.key.text }) {
            total += entry.contiguous + UInt64(entry.exceptions.count)
            hasher.update(data: Data("\(site.text):\(entry.contiguous):\(entry.exceptions.map(String.init).joined(separator: ","))\n".utf8))
        }
        return "\(total).\(Hex.string(Data(hasher.finalize())).prefix(8))"
    }

    /// The same block, issued with another status and approver.
    public func issued(as status: Status, approvedBy: String?) -> DocumentControl {
        DocumentControl(engagement: engagement, engagementID: engagementID, scope: scope, assessors: assessors, generated: generated,
                        version: version, status: status, approvedBy: approvedBy)
    }
}
