/// Requirement ids as OSCAL tokens, one rule for every OSCAL document Fieldbook writes:
/// `iso42001:A.6.2.4` -> `iso42001_A.6.2.4`. OSCAL tokens must start with a letter or `_`, so an
/// imported framework whose key starts with a digit (`27001-2022:A.5.1`) gets a leading `_`.
enum OSCALToken {
    static func control(_ qualified: String) -> String {
        let token = qualified.replacingOccurrences(of: ":", with: "_")
        guard let first = token.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else { return "_" + token }
        return token
    }
}
