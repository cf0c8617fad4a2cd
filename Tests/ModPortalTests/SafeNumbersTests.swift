import Foundation
import ModPortal
import NIOCore
import Testing

/// Numbers that may come from the wire, a file or a tampered database never trap on their way
/// into durations or shown seconds.
@Suite struct SafeNumbersTests {
    static let extremes: [Double] = [
        .nan, .infinity, -.infinity, 1e300, -1e300, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
        1e19, -1e19, 9.3e18, 0, -0.0, .leastNonzeroMagnitude, 1.5, 86_400, 86_401,
    ]

    @Test(arguments: extremes)
    func everyExtremeBecomesABoundedDuration(value: Double) {
        let duration = Duration.clamped(seconds: value)
        #expect(duration >= .zero && duration <= .seconds(86_400))
        let amount = TimeAmount.clamped(seconds: value)
        #expect(amount >= .zero && amount <= .seconds(86_400))
        if value.isFinite, value >= 0, value <= 86_400 {
            #expect(abs(Double(value.clampedMilliseconds()) - value * 1000) <= 1)
        }
    }

    @Test(arguments: extremes)
    func everyExtremeBecomesABoundedWholeNumber(value: Double) {
        let whole = value.wholeClamped()
        #expect(abs(whole) <= 1_000_000_000_000)
        if value.isFinite, abs(value) < 1e6 { #expect(Double(whole) == value.rounded(.up)) }
    }

    @Test(arguments: extremes)
    func everyExtremeInAnErrorIsShownWithoutTrapping(value: Double) {
        for error in [
            PortalError.rateLimited(httpStatus: 429, retryAfter: value),
            .server(httpStatus: 503, retryAfter: value, snippet: "busy"),
            .api(code: "InternalError", message: "later", httpStatus: 500, retryAfter: value),
        ] {
            #expect(!error.description.isEmpty)
            #expect(!error.message.contains("retry after -"))
        }
    }
}
