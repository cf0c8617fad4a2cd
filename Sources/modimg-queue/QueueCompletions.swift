import ArgumentParser
import Foundation
import ModImgQueue

/// Completions read from the queue the command line names: its mods, its job ids.
extension CompletionKind {
    /// The queue's mods, for mod arguments and `--mod`.
    static var modNames: CompletionKind {
        .custom { words, _, prefix in
            CompletionWords.mods(database: QueueCompletions.database(in: words), prefix: prefix)
        }
    }

    /// The queue's job ids, newest first.
    static func jobIDs(_ jobs: CompletionWords.Jobs) -> CompletionKind {
        .custom { words, _, prefix in
            CompletionWords.jobIDs(database: QueueCompletions.database(in: words), jobs, prefix: prefix)
        }
    }
}

enum QueueCompletions {
    /// The queue a command line being completed would use: its `--db`, else the default (the
    /// config file is read quietly: a completion prints no errors).
    static func database(in words: [String]) -> String {
        var typed: String?
        for (index, word) in words.enumerated() {
            if word == "--db", index + 1 < words.count {
                typed = words[index + 1]
            } else if word.hasPrefix("--db=") {
                typed = String(word.dropFirst("--db=".count))
            }
        }
        if let typed, !typed.isEmpty {
            guard typed.hasPrefix("~/") else { return typed }
            return (ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()) + typed.dropFirst()
        }
        return DefaultPaths.database(configured: (try? UserConfig.load())?.database)
    }
}
