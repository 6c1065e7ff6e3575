import FieldbookModel

/// The schema check of one change: known field, right operation, valid value, a named author,
/// an id of the shape its kind takes. Step 1 of `ChangeIntake`, for a received batch and for a
/// local edit alike; the checks that span changes (one content per dot, one kind per entity,
/// history, authorship, clock) are `ChangeIntake`'s.
public enum ChangeValidation {
    /// The longest author name accepted, in UTF-8 bytes.
    public static let maximumAuthorLength = 200

    /// The scalars that make a `Character` a newline (`Character.isNewline`), checked scalar by
    /// scalar: walking an author's characters cost a grapheme segmentation per received change.
    private static func isNewline(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }

    /// Checks one change against the schema: known field, right operation, valid value.
    public static func validate(_ change: Change) throws(ReplicaError) {
        let author = change.author
        if author.isEmpty || author.utf8.count > maximumAuthorLength || author.unicodeScalars.contains(where: isNewline) {
            throw .emptyAuthor(change.dot)
        }
        let shape: FieldShape
        do {
            shape = try EntitySchema.shape(of: change.field, in: change.kind)
            try EntitySchema.validate(change.value, for: change.field, in: change.kind)
        } catch {
            throw .invalidValue(change.dot, change.entity, error)
        }
        switch (shape, change.operation) {
        case (.register, .set), (.linkSet, .add), (.linkSet, .remove): break
        default: throw .wrongOperation(change.dot, field: change.field, change.operation)
        }
        // Result, applicability and library ids name their requirement, so two assessors write to the
        // same entity; no other kind may take such an id.
        let namesResult = change.entity.rawValue.hasPrefix("result:")
        if namesResult != (change.kind == .result) || (namesResult && change.entity.resultRequirement == nil) {
            throw .invalidValue(change.dot, change.entity, ValidationFailure(
                field: "entity", message: "result ids are 'result:' and a qualified requirement id, and only results use them"))
        }
        let namesApplicability = change.entity.rawValue.hasPrefix("applicability:")
        if namesApplicability != (change.kind == .applicability) || (namesApplicability && change.entity.applicabilityControl == nil) {
            throw .invalidValue(change.dot, change.entity, ValidationFailure(
                field: "entity", message: "applicability ids are 'applicability:' and a qualified control id, and only applicability uses them"))
        }
        let namesLibrary = change.entity.rawValue.hasPrefix("library:")
        if namesLibrary != (change.kind == .library) || (namesLibrary && change.entity.libraryURN == nil) {
            throw .invalidValue(change.dot, change.entity, ValidationFailure(
                field: "entity", message: "library ids are 'library:' and the library's URN, and only libraries use them"))
        }
        let namesRevocation = change.entity.rawValue.hasPrefix("revocation:")
        if namesRevocation != (change.kind == .revocation) || (namesRevocation && change.entity.revokedSite.flatMap(SiteID.init) == nil) {
            throw .invalidValue(change.dot, change.entity, ValidationFailure(
                field: "entity", message: "revocation ids are 'revocation:' and the revoked site's id, and only revocations use them"))
        }
    }
}
