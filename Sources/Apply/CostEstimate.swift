import Foundation
import Manifest
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
        // What to ask: one question per distinct (ladder, duration), however many videos share it.
        var questions: [PriceQuestion: [Int]] = [:]
        for change in charged {
            guard let video = change.desired?.video else { continue }
            let wanted = video.qualities?.map(\.resolution)
            var item = PlanCost.Item(
                address: change.address.description, action: change.action, qualities: wanted ?? [],
                serverDefaultQualities: wanted == nil, durationSeconds: nil, price: nil, unknownReason: nil)
            if video.mediaType == .audio {
                item.unknownReason =
                    "\(video.source.written): not priced: an audio media (the cost endpoint prices video resolutions; "
                    + "what an audio-only transcode costs is not documented)"
                items.append(item)
                continue
            }
            if video.source.lfs != nil {
                item.unknownReason = "\(video.source.written): not priced: LFS pointer, media not fetched"
                items.append(item)
                continue
            }
            if video.source.remote != nil {
                item.unknownReason = "\(video.source.written): not priced: URL or S3 source, media not fetched"
                items.append(item)
                continue
            }
            let probe = await hasher.probe(of: video.source.path)
            if let duration = probe.durationSeconds {
                item.durationSeconds = duration
                questions[PriceQuestion(qualities: wanted, durationSeconds: duration), default: []].append(items.count)
            } else {
                item.unknownReason = "\(video.source.written): \(probe.problem ?? "no duration recorded")"
            }
            items.append(item)
        }
        try? await hasher.save()
        var defaultsNote: String?
        for (question, answer) in await answers(Array(questions.keys)) {
            for index in questions[question] ?? [] {
                switch answer {
                case .success(let price?):
                    items[index].price = price.amount
                    items[index].qualities = price.qualities
                    items[index].unpricedQualities = price.unpriced
                    if question.qualities == nil, let note = price.defaultLadderNote { defaultsNote = note }
                case .success(nil):
                    items[index].unknownReason = "\(provider.serviceName) gives no prices"
                case .failure(let error):
                    items[index].unknownReason = "asking \(provider.serviceName) for the price failed: \(error)"
                }
            }
        }
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

    /// The provider's answers, a few questions in flight at once (a plan of thousands of videos must
    /// not wait for thousands of round trips one after another).
    private func answers(_ questions: [PriceQuestion]) async -> [(PriceQuestion, Result<TranscodePrice?, any Error>)] {
        let provider = provider
        let width = 8
        return await withTaskGroup(of: PriceAnswer.self) { group in
            var results: [(PriceQuestion, Result<TranscodePrice?, any Error>)] = []
            var next = 0
            while next < questions.count || !group.isEmpty {
                // Keep up to `width` questions in flight; the task group itself is never captured by a
                // nested function.
                while next < questions.count && next - results.count < width {
                    let question = questions[next]
                    next += 1
                    group.addTask {
                        do {
                            let price = try await provider.transcodeCost(
                                qualities: question.qualities, durationSeconds: question.durationSeconds)
                            return PriceAnswer(question: question, result: .success(price))
                        } catch {
                            return PriceAnswer(question: question, result: .failure(error))
                        }
                    }
                }
                guard let answer = await group.next() else { break }
                results.append((answer.question, answer.result))
            }
            return results
        }
    }
}

/// One price question's answer, as a child task returns it.
struct PriceAnswer: Sendable {
    var question: PriceQuestion
    var result: Result<TranscodePrice?, any Error>
}

/// One price to ask for: a ladder (nil: the service's defaults) and a duration.
struct PriceQuestion: Hashable, Sendable {
    var qualities: [String]?
    var durationSeconds: Double
}
