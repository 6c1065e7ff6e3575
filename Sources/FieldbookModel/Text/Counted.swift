/// "1 risk", "3 risks": a count with its noun in the number it needs, so no message says
/// "1 changes". `plural` is for nouns that do not just take an "s" ("entity", "entities").
public func counted<Count: BinaryInteger>(_ count: Count, _ singular: String, _ plural: String? = nil) -> String {
    "\(count) " + (count == 1 ? singular : plural ?? singular + "s")
}
