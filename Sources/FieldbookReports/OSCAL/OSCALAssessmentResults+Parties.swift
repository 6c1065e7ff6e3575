// The document's roles and parties: who it is prepared for and by whom.
extension OSCALAssessmentResults {
    /// The client, an organization party named as the engagement is, and each assessor, a person,
    /// with the roles they hold.
    static func parties(_ data: ReportData, uuid: (String) -> String)
        -> (roles: [Role], parties: [Party], responsible: [ResponsibleParty]) {
        let client = Party(uuid: uuid("organization:client"), type: "organization", name: data.engagementName)
        let assessors = data.assessors.map { Party(uuid: uuid("party:\($0)"), type: "person", name: $0) }
        var roles = [Role(id: "prepared-for", title: "Prepared for (the assessed organization)")]
        var responsible = [ResponsibleParty(roleID: "prepared-for", partyUUIDs: [client.uuid])]
        if !assessors.isEmpty {
            roles += [Role(id: "prepared-by", title: "Prepared by"), Role(id: "assessor", title: "Assessor")]
            responsible += [ResponsibleParty(roleID: "prepared-by", partyUUIDs: assessors.map(\.uuid)),
                            ResponsibleParty(roleID: "assessor", partyUUIDs: assessors.map(\.uuid))]
        }
        return (roles, [client] + assessors, responsible)
    }
}
