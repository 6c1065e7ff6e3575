extension StringProtocol {
    var trimmingWhitespace: String {
        String(drop(while: { $0.isWhitespace }).reversed().drop(while: { $0.isWhitespace }).reversed())
    }

    var replacingSpacesWithDashes: String {
        String(map { $0 == " " ? "-" : $0 })
    }
}
