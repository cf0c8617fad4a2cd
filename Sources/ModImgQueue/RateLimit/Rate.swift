/// A request budget such as `2/s` or `90/min`: `count` requests per `period` seconds.
public struct Rate: Sendable, Equatable, CustomStringConvertible {
    public let count: Int
    public let period: Double

    /// One request every 2 seconds: well under anything the portal has been seen to mind.
    public static let `default` = Rate(count: 30, period: 60)

    public init(count: Int, period: Double) {
        self.count = count
        self.period = period
    }

    /// Seconds between requests when spread evenly.
    public var interval: Double { period / Double(count) }

    /// Parses `N/s`, `N/sec`, `N/m`, `N/min`, `N/h`, `N/hour` (N a positive whole number).
    public init?(parsing text: String) {
        let parts = text.lowercased().split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[0].trimmingCharacters(in: .whitespaces)), count > 0,
            count <= 100_000
        else { return nil }
        let period: Double
        switch parts[1].trimmingCharacters(in: .whitespaces) {
        case "s", "sec", "second": period = 1
        case "m", "min", "minute": period = 60
        case "h", "hour": period = 3600
        default: return nil
        }
        self.init(count: count, period: period)
    }

    public var description: String {
        switch period {
        case 1: return "\(count)/s"
        case 60: return "\(count)/min"
        case 3600: return "\(count)/h"
        default: return "\(count) per \(period) s"
        }
    }
}
