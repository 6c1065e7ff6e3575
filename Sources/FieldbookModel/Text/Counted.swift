/// "1 risk", "3 risks", "2 categories": a count with its noun in the number it needs, so no
/// message says "1 changes". A noun ending in consonant + "y" takes "ies"; `plural` is for the
/// nouns no rule covers.
public func counted<Count: BinaryInteger>(_ count: Count, _ singular: String, _ plural: String? = nil) -> String {
    "\(count) " + (count == 1 ? singular : plural ?? pluralized(singular))
}

func pluralized(_ noun: String) -> String {
    guard noun.hasSuffix("y"), let before = noun.dropLast().last, !"aeiou".contains(before) else { return noun + "s" }
    return noun.dropLast() + "ies"
}
