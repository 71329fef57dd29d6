import ArgumentParser
import Foundation
import Planning

/// `--no-cost` and `--max-cost`, shared by plan and apply.
struct CostOptions: ParsableArguments {
    @Flag(
        help: ArgumentHelp(
            "Do not probe sources, ask for prices or read the balance: the plan has no cost section and apply checks none.",
            discussion: "The service still refuses, at the end of an upload, a transcode the balance cannot pay."))
    var noCost = false

    @Option(
        help: ArgumentHelp(
            "Refuse to apply when the plan's transcodes cost more than this (in the unit of the account's balance), "
                + "or when a price is unknown.", valueName: "amount"))
    var maxCost: String?

    func validate() throws {
        if noCost && maxCost != nil {
            throw ValidationError("--max-cost needs the cost, which --no-cost leaves out; give one or the other")
        }
        if let text = maxCost, Self.amount(text) == nil {
            throw ValidationError("--max-cost \"\(text)\" is not an amount; write a number such as 2.5")
        }
    }

    var withCost: Bool { !noCost }

    /// `--max-cost` as an exact decimal.
    var maxCostValue: Decimal? { maxCost.flatMap(Self.amount) }

    static func amount(_ text: String) -> Decimal? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            text.filter({ $0 == "." }).count <= 1, text.contains(where: \.isNumber)
        else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// Refuses (exit 1) when the cost says apply must not start; prints why, with the amounts.
    static func refuse(_ cost: PlanCost?) throws {
        guard let cost else { return }
        let refusals = cost.refusals
        guard !refusals.isEmpty else { return }
        for refusal in refusals {
            Terminal.stderr("error: \(refusal); nothing was changed.")
        }
        if cost.exceedsBalanceBy != nil {
            Terminal.stderr("Top up the balance on \(cost.service), or plan fewer or shorter transcodes.")
        }
        throw StreamplanExit.failure.code
    }
}
