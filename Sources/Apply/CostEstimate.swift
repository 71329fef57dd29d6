import Foundation
public import Planning
import Providers

/// Prices a plan's transcodes through the provider and reads the balance: the effectful step that
/// attaches a `PlanCost` to a plan after the pure planner made it.
extension Applier {
    /// The changes that start a transcode, which the service charges for at `complete`: a video's
    /// create, replace or resume (blocked changes are never performed, so never charged).
    static func chargedChanges(_ plan: Plan) -> [ResourceChange] {
        plan.changes.filter { change in
            change.kind == .video && change.blocked == nil && [.create, .replace, .resume].contains(change.action)
        }
    }

    /// What the plan's transcodes cost and the balance, or nil when nothing in it is transcoded.
    ///
    /// Each source is probed (cached with its hash under the state directory); a source that cannot be
    /// probed, a provider without prices, or a failed price request leaves that video's price unknown,
    /// with the reason, and never a guess. Reads only: nothing here costs money or changes the account.
    public func cost(of plan: Plan, maxCost: Decimal? = nil) async -> PlanCost? {
        let charged = Self.chargedChanges(plan)
        guard !charged.isEmpty else { return nil }
        let hasher = ContentHasher(cachePath: context.options.hashCachePath)
        var items: [PlanCost.Item] = []
        var defaultsNote: String?
        for change in charged {
            guard case .video(let video)? = change.desired else { continue }
            let wanted = video.qualities?.map(\.resolution)
            var item = PlanCost.Item(
                address: change.address.description, action: change.action, qualities: wanted ?? [],
                serverDefaultQualities: wanted == nil, durationSeconds: nil, price: nil, unknownReason: nil)
            let probe = await hasher.probe(of: video.source.path)
            guard let duration = probe.durationSeconds else {
                item.unknownReason = "\(video.source.written): \(probe.problem ?? "no duration recorded")"
                items.append(item)
                continue
            }
            item.durationSeconds = duration
            do {
                if let price = try await provider.transcodeCost(qualities: wanted, durationSeconds: duration) {
                    item.price = price.amount
                    item.qualities = price.qualities
                    item.unpricedQualities = price.unpriced
                    if wanted == nil, let note = price.defaultLadderNote { defaultsNote = note }
                } else {
                    item.unknownReason = "\(provider.serviceName) gives no prices"
                }
            } catch {
                item.unknownReason = "asking \(provider.serviceName) for the price failed: \(error)"
            }
            items.append(item)
        }
        try? await hasher.save()
        var balance: Decimal?
        var balanceReason: String?
        do {
            balance = try await provider.balance()
            if balance == nil { balanceReason = "\(provider.serviceName) does not tell it" }
        } catch {
            balanceReason = "asking \(provider.serviceName) for it failed: \(error)"
        }
        return PlanCost(
            items: items, balance: balance, balanceUnknownReason: balanceReason, maxCost: maxCost,
            service: provider.serviceName, serverDefaultsNote: defaultsNote)
    }
}
