/// Text from an untrusted package made safe to print on a terminal: every C0 control (tab and
/// newline included), DEL, C1 control, and bidirectional embedding, override or isolate
/// (U+202A-U+202E, U+2066-U+2069) becomes U+FFFD, so a name cannot move the cursor, recolour
/// or clear the screen, start an escape sequence, or reorder what is printed after it.
/// (`--json` needs none of this: JSON escapes control characters.)
public enum PrintableText {
    public static func safe(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            scalars.append(isUnsafe(scalar) ? "\u{FFFD}" : scalar)
        }
        return String(scalars)
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
