/// The samples of a Prometheus text exposition (what `/metrics` answers), read back for checks.
struct PrometheusText {
    struct Sample: Equatable {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    let samples: [Sample]
    /// Lines that are neither comments nor samples (none when the exposition is well-formed).
    let unreadable: [String]

    init(_ text: String) {
        var samples: [Sample] = [], unreadable: [String] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            if let sample = Self.sample(Substring(line)) { samples.append(sample) } else { unreadable.append(String(line)) }
        }
        self.samples = samples
        self.unreadable = unreadable
    }

    /// The sum of `name`'s samples whose labels include `labels`; nil when none has them.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let matching = samples.filter { sample in sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value } }
        return matching.isEmpty ? nil : matching.reduce(0) { $0 + $1.value }
    }

    /// `name{key="value",...} 1.5` or `name 1.5`; label values may hold escaped quotes.
    static func sample(_ line: Substring) -> Sample? {
        var rest = line[...]
        let name = rest.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
        guard !name.isEmpty else { return nil }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let key = rest.prefix(while: { $0 != "=" })
                rest = rest.dropFirst(key.count)
                guard rest.hasPrefix("=\"") else { return nil }
                rest = rest.dropFirst(2)
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\", let escaped = rest.first {
                        rest = rest.dropFirst()
                        value.append(escaped == "n" ? "\n" : escaped)
                    } else {
                        value.append(character)
                    }
                }
                guard rest.first == "\"" else { return nil }
                rest = rest.dropFirst()
                labels[String(key)] = value
                if rest.first == "," { rest = rest.dropFirst() }
                guard !rest.isEmpty else { return nil }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " ", let value = Double(rest.dropFirst().split(separator: " ").first ?? "") else { return nil }
        return Sample(name: String(name), labels: labels, value: value)
    }
}
