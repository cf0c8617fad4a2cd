/// A piece of HTML whose text parts were escaped when they went in: a `String` interpolated
/// into an `HTML` literal is always escaped (`<script>` becomes text), only `HTML` is not.
public struct HTML: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public private(set) var rendered: String

    public init(stringLiteral markup: String) {
        rendered = markup
    }

    public init(stringInterpolation: Interpolation) {
        rendered = stringInterpolation.rendered
    }

    /// Text, escaped.
    public init(text: String) {
        rendered = Self.escape(text)
    }

    public var description: String { rendered }

    public static func + (a: HTML, b: HTML) -> HTML {
        var joined = a
        joined.rendered += b.rendered
        return joined
    }

    public struct Interpolation: StringInterpolationProtocol {
        var rendered = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            rendered.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        public mutating func appendLiteral(_ literal: String) { rendered += literal }
        public mutating func appendInterpolation(_ text: String) { rendered += HTML.escape(text) }
        public mutating func appendInterpolation(_ html: HTML) { rendered += html.rendered }
        public mutating func appendInterpolation(_ number: Int) { rendered += String(number) }
        public mutating func appendInterpolation(_ number: Int64) { rendered += String(number) }
        public mutating func appendInterpolation(_ parts: [HTML]) { rendered += parts.map(\.rendered).joined() }
    }

    /// Escapes text for element content and for quoted attribute values alike.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}

extension Array where Element == HTML {
    public func joined() -> HTML { HTML(stringLiteral: map(\.rendered).joined()) }

    /// The parts with `separator`, as text, between them.
    public func interleaved(_ separator: String) -> HTML {
        HTML(stringLiteral: map(\.rendered).joined(separator: HTML.escape(separator)))
    }
}
