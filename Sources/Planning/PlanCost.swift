public import Foundation

/// What a plan's transcodes cost, and whether the account can pay: attached to a plan after planning
/// (the planner stays pure and a change's fingerprint never holds a price, since balances and prices
/// move), rendered after the changes, and checked again by `apply` and `apply FILE` before anything
/// that costs money.
///
/// Amounts are exact decimals in the service's unit (the unit of its balance); nothing is ever made
/// up: a video whose source could not be probed, or whose price the service would not give, is
/// listed with the reason and left out of `total` (then `complete` is false).
public struct PlanCost: Sendable, Hashable, Codable {
    /// One video whose create, replace or resume starts a transcode (charged at `complete`).
    public struct Item: Sendable, Hashable, Codable {
        public var address: String
        public var action: ChangeAction
        /// The resolution labels priced, one per rendition.
        public var qualities: [String]
        /// Renditions asked for but not in the price (the service prices video resolutions only).
        public var unpricedQualities: [String] = []
        /// The manifests leave the ladder to the server; `qualities` is the ladder assumed for the price.
        public var serverDefaultQualities: Bool
        public var durationSeconds: Double?
        public var price: Decimal?
        /// Why `price` is nil.
        public var unknownReason: String?

        enum CodingKeys: String, CodingKey {
            case address, action, qualities, price
            case serverDefaultQualities = "server_default_qualities"
            case unpricedQualities = "unpriced_qualities"
            case durationSeconds = "duration_seconds"
            case unknownReason = "unknown_reason"
        }

        public init(
            address: String, action: ChangeAction, qualities: [String], serverDefaultQualities: Bool,
            durationSeconds: Double?, price: Decimal?, unknownReason: String?
        ) {
            self.address = address
            self.action = action
            self.qualities = qualities
            self.serverDefaultQualities = serverDefaultQualities
            self.durationSeconds = durationSeconds
            self.price = price
            self.unknownReason = unknownReason
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            address = try c.decode(String.self, forKey: .address)
            action = try c.decode(ChangeAction.self, forKey: .action)
            qualities = try c.decode([String].self, forKey: .qualities)
            unpricedQualities = try c.decodeIfPresent([String].self, forKey: .unpricedQualities) ?? []
            serverDefaultQualities = try c.decode(Bool.self, forKey: .serverDefaultQualities)
            durationSeconds = try c.decodeIfPresent(Double.self, forKey: .durationSeconds)
            price = try c.decodeIfPresent(Decimal.self, forKey: .price)
            unknownReason = try c.decodeIfPresent(String.self, forKey: .unknownReason)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(address, forKey: .address)
            try c.encode(action, forKey: .action)
            try c.encode(qualities, forKey: .qualities)
            try c.encode(unpricedQualities, forKey: .unpricedQualities)
            try c.encode(serverDefaultQualities, forKey: .serverDefaultQualities)
            try c.encode(durationSeconds, forKey: .durationSeconds)
            try c.encode(price, forKey: .price)
            try c.encode(unknownReason, forKey: .unknownReason)
        }
    }

    /// Per video, in the plan's order.
    public var items: [Item]
    /// The sum of the known prices.
    public var total: Decimal
    public var balance: Decimal?
    /// Why `balance` is nil (the service does not tell it, or the request failed).
    public var balanceUnknownReason: String?
    /// `--max-cost`, when given.
    public var maxCost: Decimal?
    /// The service's name, for sentences.
    public var service: String
    /// The ladder priced for videos that leave qualities to the server, and where that ladder comes from.
    public var serverDefaultsNote: String?

    enum CodingKeys: String, CodingKey {
        case items = "videos"
        case total, complete, balance, service
        case balanceUnknownReason = "balance_unknown_reason"
        case maxCost = "max_cost"
        case exceedsBalanceBy = "exceeds_balance_by"
        case exceedsMaxCostBy = "exceeds_max_cost_by"
        case serverDefaultsNote = "server_defaults_note"
    }

    public init(
        items: [Item], balance: Decimal?, balanceUnknownReason: String?, maxCost: Decimal?, service: String,
        serverDefaultsNote: String? = nil
    ) {
        self.items = items
        total = items.compactMap(\.price).reduce(Decimal(0), +)
        self.balance = balance
        self.balanceUnknownReason = balanceUnknownReason
        self.maxCost = maxCost
        self.service = service
        self.serverDefaultsNote = serverDefaultsNote
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        items = try c.decode([Item].self, forKey: .items)
        total = try c.decode(Decimal.self, forKey: .total)
        balance = try c.decodeIfPresent(Decimal.self, forKey: .balance)
        balanceUnknownReason = try c.decodeIfPresent(String.self, forKey: .balanceUnknownReason)
        maxCost = try c.decodeIfPresent(Decimal.self, forKey: .maxCost)
        service = try c.decode(String.self, forKey: .service)
        serverDefaultsNote = try c.decodeIfPresent(String.self, forKey: .serverDefaultsNote)
    }

    /// Every key always written (null when unknown), so tools can read the object without guessing.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
        try c.encode(total, forKey: .total)
        try c.encode(complete, forKey: .complete)
        try c.encode(balance, forKey: .balance)
        try c.encode(balanceUnknownReason, forKey: .balanceUnknownReason)
        try c.encode(maxCost, forKey: .maxCost)
        try c.encode(exceedsBalanceBy, forKey: .exceedsBalanceBy)
        try c.encode(exceedsMaxCostBy, forKey: .exceedsMaxCostBy)
        try c.encode(service, forKey: .service)
        try c.encode(serverDefaultsNote, forKey: .serverDefaultsNote)
    }

    /// Whether every video's price is known (else `total` is a lower bound).
    public var complete: Bool { items.allSatisfy { $0.price != nil } }
    public var unknownItems: [Item] { items.filter { $0.price == nil } }

    /// How much more the known total is than the balance.
    public var exceedsBalanceBy: Decimal? {
        guard let balance, total > balance else { return nil }
        return total - balance
    }

    /// How much more the known total is than `--max-cost`.
    public var exceedsMaxCostBy: Decimal? {
        guard let maxCost, total > maxCost else { return nil }
        return total - maxCost
    }

    /// Why apply must not start, in sentences (empty: it may). The balance is checked against the
    /// known total; `--max-cost` also refuses when a price is unknown, since it could be exceeded.
    public var refusals: [String] {
        var out: [String] = []
        if let over = exceedsBalanceBy, let balance {
            out.append(
                "the transcodes cost \(Self.format(total)) but the balance on \(service) is \(Self.format(balance)): "
                    + "\(Self.format(over)) short")
        }
        if let over = exceedsMaxCostBy, let maxCost {
            out.append(
                "the transcodes cost \(Self.format(total)), more than --max-cost \(Self.format(maxCost)) by \(Self.format(over))")
        }
        if maxCost != nil, exceedsMaxCostBy == nil, !complete {
            let names = unknownItems.map(\.address).joined(separator: ", ")
            out.append("--max-cost cannot be checked: the cost of \(names) is unknown (see the plan's Cost section)")
        }
        return out
    }

    /// An amount as people read it: exact, without trailing zeros ("0.004", "12").
    public static func format(_ amount: Decimal) -> String {
        var value = amount
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 6, .plain)
        return "\(rounded)"
    }

    /// A duration as people read it: "2 s", "1.51 s", "1 min 5 s".
    public static func format(seconds: Double) -> String {
        if seconds < 60 {
            let hundredths = (seconds * 100).rounded() / 100
            return hundredths == hundredths.rounded() ? "\(Int(hundredths)) s" : "\(hundredths) s"
        }
        let whole = Int(seconds.rounded())
        let (hours, rest) = whole.quotientAndRemainder(dividingBy: 3600)
        let (minutes, secs) = rest.quotientAndRemainder(dividingBy: 60)
        return hours > 0 ? "\(hours) h \(minutes) min \(secs) s" : "\(minutes) min \(secs) s"
    }
}
