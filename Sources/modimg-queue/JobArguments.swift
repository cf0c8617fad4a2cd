import ArgumentParser
import ModImgQueue

// `--state` and `--kind` values, refused by argument parsing (naming the allowed values)
// when they are not one of them.

extension JobState: ExpressibleByArgument {}

extension JobKind: ExpressibleByArgument {}

extension FinishedState: ExpressibleByArgument {}
