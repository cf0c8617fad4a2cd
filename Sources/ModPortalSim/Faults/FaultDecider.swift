/// What the simulator does to one request instead of (or on top of) its normal handling.
enum FaultAction: Sendable, Equatable {
    case reset
    case internalError
    case htmlError(status: Int)
    case truncated
    case slow(milliseconds: Int)
    case burst429
    case lostUpload
    case drip(milliseconds: Int)
    case html404

    var mode: FaultMode {
        switch self {
        case .reset: .reset
        case .internalError: .internalError
        case .htmlError: .htmlError
        case .truncated: .truncated
        case .slow: .slow
        case .burst429: .burst429
        case .lostUpload: .lostUpload
        case .drip: .drip
        case .html404: .html404
        }
    }
}

/// Decides the faults of a `FaultPlan`, request by request, and counts them.
/// Lives inside `SimWorld`, so it is only touched under the store's lock.
struct FaultDecider: Sendable {
    private let plan: FaultPlan
    private var random: SplitMix64
    private var burstRemaining = 0
    private(set) var counts: [FaultMode: Int] = [:]

    /// Keeps the fault draws apart from the upload-URL tokens drawn from the same seed.
    private static let streamSalt: UInt64 = 0x6661_756C_7473_696D

    init(plan: FaultPlan, seed: UInt64) {
        self.plan = plan
        self.random = SplitMix64(seed: seed ^ Self.streamSalt)
    }

    /// The 429 of a burst still in progress, if any. Takes no draw.
    mutating func burstContinuation() -> FaultAction? {
        guard burstRemaining > 0 else { return nil }
        burstRemaining -= 1
        return record(.burst429)
    }

    /// One draw for a request of `call` (see `FaultPlan` for the bands).
    mutating func draw(for call: SimCall) -> FaultAction? {
        guard plan.calls.contains(call), !plan.isEmpty else { return nil }
        let unit = random.nextUnit()
        guard let mode = mode(at: unit), mode.applies(to: call) else { return nil }
        switch mode {
        case .reset: return record(.reset)
        case .internalError: return record(.internalError)
        case .htmlError:
            // 502 and 503 in turn, so a run sees both without a second draw.
            let status = (counts[.htmlError] ?? 0).isMultiple(of: 2) ? 502 : 503
            return record(.htmlError(status: status))
        case .truncated: return record(.truncated)
        case .slow: return record(.slow(milliseconds: max(0, plan.slowMilliseconds)))
        case .burst429:
            burstRemaining = max(0, plan.burstLength)
            return record(.burst429)
        case .lostUpload: return record(.lostUpload)
        case .drip: return record(.drip(milliseconds: max(1, plan.slowMilliseconds)))
        case .html404: return record(.html404)
        }
    }

    /// The mode whose band holds `unit`, nil past the last band.
    private func mode(at unit: Double) -> FaultMode? {
        var upper = 0.0
        for mode in FaultMode.allCases {
            upper += plan[mode]
            if unit < upper { return mode }
        }
        return nil
    }

    private mutating func record(_ action: FaultAction) -> FaultAction {
        counts[action.mode, default: 0] += 1
        return action
    }
}
