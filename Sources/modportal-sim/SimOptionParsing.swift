import ArgumentParser
import Foundation
import ModPortalSim

/// Parsing of the CLI's compound option values.
enum SimOptionParsing {
    /// "20/s" -> 20. Nil for anything else (the number must be positive and finite).
    static func ratePerSecond(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix("/s") else { return nil }
        guard let value = Double(trimmed.dropLast(2)), value.isFinite, value > 0 else { return nil }
        return value
    }

    /// "a,b,c" -> ["a", "b", "c"], blanks dropped.
    static func modList(_ text: String) -> Set<String> {
        Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    static let faultModeNames = FaultMode.allCases.map(\.rawValue).joined(separator: ", ")

    /// Every "mode=p" of `--fault`, e.g. ["reset=0.05", "lost-upload=0.1"] -> [.reset: 0.05, .lostUpload: 0.1].
    static func faultProbabilities(_ specs: [String]) throws -> [FaultMode: Double] {
        var probabilities: [FaultMode: Double] = [:]
        for spec in specs {
            let (mode, probability) = try fault(spec)
            guard probabilities[mode] == nil else {
                throw ValidationError("--fault \(mode.rawValue) is given twice.")
            }
            probabilities[mode] = probability
        }
        return probabilities
    }

    /// One "mode=p" of `--fault`.
    static func fault(_ spec: String) throws -> (FaultMode, Double) {
        let pieces = spec.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard pieces.count == 2 else {
            throw ValidationError("--fault must look like mode=p (e.g. reset=0.05), got '\(spec)'.")
        }
        let name = pieces[0].trimmingCharacters(in: .whitespaces)
        guard let mode = FaultMode(rawValue: name) else {
            throw ValidationError("--fault: unknown mode '\(name)'; the modes are \(faultModeNames).")
        }
        let text = pieces[1].trimmingCharacters(in: .whitespaces)
        guard let probability = Double(text), probability.isFinite, (0.0...1.0).contains(probability) else {
            throw ValidationError("--fault \(name): the probability must be a number between 0 and 1, got '\(text)'.")
        }
        return (mode, probability)
    }

    /// "add,upload" -> [.add, .upload] for `--fault-calls`.
    static func calls(_ text: String) throws -> Set<SimCall> {
        var calls: Set<SimCall> = []
        for name in modList(text) {
            guard let call = SimCall(rawValue: name) else {
                let known = SimCall.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("--fault-calls: unknown call '\(name)'; the calls are \(known).")
            }
            calls.insert(call)
        }
        guard !calls.isEmpty else { throw ValidationError("--fault-calls must name at least one call.") }
        return calls
    }
}
