/// What both OSCAL documents Fieldbook writes share about properties.
enum OSCALProp {
    /// The namespace of Fieldbook's own OSCAL properties (and of relationships OSCAL does not define).
    static let namespace = "urn:fieldbook:oscal"
}

/// A property in Fieldbook's namespace: none of these names is one NIST defines, and OSCAL wants
/// such properties marked by the namespace that defines them.
struct FieldbookProp: Encodable, Sendable {
    let name: String, value: String
    var ns = OSCALProp.namespace
    /// Free text about the value (a prop's value is one line; its remarks may be any text).
    var remarks: String? = nil
}

extension Collection {
    /// OSCAL forbids empty arrays and strings: absent instead.
    var nonEmpty: Self? { isEmpty ? nil : self }
}
