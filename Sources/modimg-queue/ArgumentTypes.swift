import ArgumentParser
import ModImgQueue
import ModPortal

/// `--rate 2/s`, parsed once at the edge.
extension Rate: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(parsing: argument)
    }

    public var defaultValueDescription: String { description }
}

/// A number of seconds: `1.5`, or with a unit, `90s`, `15m`, `2h`.
struct Seconds: ExpressibleByArgument, Sendable {
    let value: Double

    init(_ value: Double) {
        self.value = value
    }

    init?(argument: String) {
        guard let value = Double(argument).flatMap({ $0.isFinite && $0 >= 0 ? $0 : nil }) ?? Durations.seconds(argument)
        else { return nil }
        self.value = value
    }

    var defaultValueDescription: String {
        value == value.rounded() ? "\(value.wholeClamped())" : "\(value)"
    }
}

/// An age with its unit: `30d`, `12h`, `15m`, `90s`, `2w`.
/// An age typed for `prune --older-than`, kept as typed so `validate()` can say what is wrong.
struct Age: ExpressibleByArgument, Sendable {
    let text: String
    var seconds: Double? { Durations.age(text) }

    init?(argument: String) {
        text = argument
    }
}

extension CompletionKind {
    /// Image files by extension (in both cases: bash and fish match them case-sensitively),
    /// and folders to reach them.
    static var imageFiles: CompletionKind {
        .file(extensions: ["png", "jpg", "jpeg", "gif", "PNG", "JPG", "JPEG", "GIF"])
    }
}
