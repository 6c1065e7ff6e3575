import FieldbookModel

/// A point of an SVG chart, in pixels.
struct ChartPoint {
    let x: Int
    let y: Int
}

/// The risk heat map's geometry: `heatmap.mustache`. Likelihood rises upwards, impact to the
/// right; each cell is coloured by the level its score falls in and shows how many risks sit there.
struct HeatMap {
    struct Row {
        let likelihood: Int
        let cells: [Cell]
        let label: ChartPoint
    }

    struct Cell {
        let corner: ChartPoint
        let fill: String
        let count: Int
        let countAt: ChartPoint
    }

    struct Tick {
        let impact: Int
        let at: ChartPoint
    }

    struct LegendEntry {
        let level: String
        let scores: String
        let fill: String
        let swatch: ChartPoint
        let text: ChartPoint
    }

    static let colours = ["low": "#cfe8d5", "medium": "#f8e3a3", "high": "#f6b48f", "critical": "#e8787a"]

    let cellSize = 64
    /// The SVG's title: what a screen reader announces.
    let title: String
    let width: Int
    let height: Int
    let rows: [Row]
    let impacts: [Tick]
    let impactCaption: ChartPoint
    let likelihoodCaption: ChartPoint
    let legend: [LegendEntry]

    /// `grid[likelihood - 1][impact - 1]`: how many risks sit in each cell.
    init(_ grid: [[Int]], title: String) {
        self.title = title
        let cell = cellSize, left = 80, top = 20
        let bottom = top + cell * 5
        width = left + 4 * 105 + 20
        height = bottom + 80
        rows = (1...5).map { likelihood in
            let y = top + (5 - likelihood) * cell
            let cells = (1...5).map { impact in
                let x = left + (impact - 1) * cell
                let level = RiskRating(likelihood: likelihood, impact: impact).level.rawValue
                return Cell(corner: ChartPoint(x: x, y: y), fill: Self.colours[level]!, count: grid[likelihood - 1][impact - 1],
                            countAt: ChartPoint(x: x + cell / 2, y: y + cell / 2 + 7))
            }
            return Row(likelihood: likelihood, cells: cells, label: ChartPoint(x: left - 10, y: y + cell / 2 + 5))
        }
        impacts = (1...5).map { Tick(impact: $0, at: ChartPoint(x: left + ($0 - 1) * cell + cell / 2, y: bottom + 18)) }
        impactCaption = ChartPoint(x: left + cell * 5 / 2, y: bottom + 42)
        likelihoodCaption = ChartPoint(x: 16, y: top + cell * 5 / 2)
        legend = [("low", "1–4"), ("medium", "5–9"), ("high", "10–16"), ("critical", "20–25")].enumerated().map { index, entry in
            let x = left + index * 105, y = bottom + 52
            return LegendEntry(level: entry.0, scores: entry.1, fill: Self.colours[entry.0]!, swatch: ChartPoint(x: x, y: y),
                               text: ChartPoint(x: x + 18, y: y + 12))
        }
    }
}

/// The burn-up chart's geometry: `burnup.mustache`. Requirements assessed and gaps closed
/// (cumulative) per period, against the number of requirements.
struct BurnUp {
    struct Point {
        let assessed: ChartPoint
        let closed: ChartPoint
    }

    struct Label {
        let period: String
        let at: ChartPoint
    }

    let width = 640
    let height: Int
    let left = 50
    let right: Int
    let top = 20
    /// The x axis.
    let baseline: Int
    /// The line of every requirement assessed.
    let ceiling: Int
    let ceilingLabelY: Int
    let maximum: Int
    let points: [Point]
    /// Period names under the axis, under each period's end; with more than 12 periods, about 12 of them.
    let labels: [Label]
    let zero: ChartPoint
    /// Where the legend's two swatches and their texts go.
    let assessedSwatch: ChartPoint
    let assessedText: ChartPoint
    let closedSwatch: ChartPoint
    let closedText: ChartPoint

    init(_ report: ProgressReport) {
        // The plot and its axis labels take 260 pixels' height; the legend the 30 below. The right margin
        // leaves room for the last period's name, centred under the plot's right edge.
        let chartHeight = 260, legendHeight = 30, axisLabels = 40
        let (left, top) = (left, top)
        let plotWidth = width - left - 36, plotHeight = chartHeight - top - axisLabels
        // A burn-up starts from nothing: the lines begin at zero before the first period, so
        // one period draws a rising line, not a lone dot, and every period has a line to it.
        let steps = max(report.periods.count, 1)
        let maximum = max(report.requirements, 1)
        func x(_ index: Int) -> Int { left + index * plotWidth / steps }
        func y(_ value: Int) -> Int { top + plotHeight - value * plotHeight / maximum }
        var closedTotal = 0
        let origin = Point(assessed: ChartPoint(x: x(0), y: y(0)), closed: ChartPoint(x: x(0), y: y(0)))
        points = [origin] + report.periods.enumerated().map { index, row in
            closedTotal += row.gapsClosed
            return Point(assessed: ChartPoint(x: x(index + 1), y: y(row.assessed)), closed: ChartPoint(x: x(index + 1), y: y(closedTotal)))
        }
        // At most about 12 names under the axis, the last period always named.
        let every = max(1, (report.periods.count + 11) / 12)
        labels = report.periods.enumerated().filter { index, _ in (report.periods.count - 1 - index) % every == 0 }
            .map { index, row in Label(period: row.period, at: ChartPoint(x: x(index + 1), y: top + plotHeight + 16)) }
        self.maximum = maximum
        height = chartHeight + legendHeight
        right = left + plotWidth
        baseline = top + plotHeight
        ceiling = y(maximum)
        ceilingLabelY = ceiling - 5
        zero = ChartPoint(x: left - 6, y: baseline + 4)
        assessedSwatch = ChartPoint(x: left, y: chartHeight + 8)
        assessedText = ChartPoint(x: left + 20, y: chartHeight + 14)
        closedSwatch = ChartPoint(x: left + 200, y: chartHeight + 8)
        closedText = ChartPoint(x: left + 220, y: chartHeight + 14)
    }
}
