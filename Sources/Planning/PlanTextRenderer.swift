/// Renders a plan for people, in the manner of Terraform: a legend, one block per change with
/// the changed attributes `old -> new`, the reason for each replace or delete, and a summary.
public struct PlanTextRenderer: Sendable {
    /// Use ANSI colours (only on a terminal, and not when NO_COLOR is set).
    public var colour: Bool

    public init(colour: Bool = false) {
        self.colour = colour
    }

    public func render(_ plan: Plan) -> String {
        guard plan.hasChanges else {
            return "No changes. Project \(plan.project) matches the manifests"
                + " (\(Self.upToDate(plan.unchanged))).\n" + Self.notes(plan)
        }
        var out = "streamplan will make these changes to project \(plan.project):\n\n"
        out += "Actions are shown with these symbols:\n"
        let used = Set(plan.changes.map(\.action))
        for action in ChangeAction.allCases where used.contains(action) {
            if action == .replace {
                let kinds = Set(plan.changes.filter { $0.action == .replace }.map(\.kind))
                for order in plan.replaceOrders {
                    out += "  " + paint(symbol(action).padding(3), action) + " " + Self.legend(order, kinds: kinds) + "\n"
                }
                continue
            }
            out += "  " + paint(symbol(action).padding(3), action) + " " + legend(action) + "\n"
        }
        out += "\n"
        for change in plan.changes {
            out += block(change)
        }
        out += summary(plan) + "\n"
        if plan.isDestructive {
            out +=
                "\nThis plan deletes or replaces videos or live streams; `streamplan apply` refuses it unless given --allow-delete.\n"
        }
        out += Self.notes(plan)
        out += LiveNotes.footer(plan)
        if let cost = plan.cost { out += Self.costBlock(cost) }
        return out
    }

    /// "7 up to date: 4 videos, 1 live stream key, 2 streamings" (kinds in a fixed order).
    static func upToDate(_ addresses: [Address]) -> String {
        guard !addresses.isEmpty else { return "nothing to manage" }
        var counts: [ResourceKind: Int] = [:]
        for address in addresses { counts[address.kind, default: 0] += 1 }
        let parts = ResourceKind.allCases.compactMap { kind -> String? in
            guard let n = counts[kind] else { return nil }
            return "\(n) \(kind.noun)\(n == 1 ? "" : "s")"
        }
        return "\(addresses.count) up to date: " + parts.joined(separator: ", ")
    }

    /// "Note: ADDRESS: sentence" lines, after a blank line; empty without notes.
    static func notes(_ plan: Plan) -> String {
        guard !plan.notes.isEmpty else { return "" }
        return "\n" + plan.notes.map { "Note: \($0.address): \($0.text)\n" }.joined()
    }

    /// The first line of the cost block, which always comes last (tools and tests can cut it off there).
    public static let costHeading = "Cost of transcoding"

    /// The cost block: per video its price (or why it is unknown), the total, the balance and any refusal.
    public static func costBlock(_ cost: PlanCost) -> String {
        var out = "\n\(costHeading) (prices from \(cost.service), in the unit of its balance):\n"
        let width: Int = (cost.items.map { (item: PlanCost.Item) -> Int in item.address.count }.max() ?? 0) + 2
        let prices: [String] = cost.items.compactMap { $0.price.map(PlanCost.format) }
        let priceWidth: Int = prices.map(\.count).max() ?? 0
        for item in cost.items {
            let name: String = item.address.leftAligned(width)
            guard let price = item.price else {
                let reason: String = item.unknownReason ?? "no price"
                out += "  \(name)unknown: \(reason)\n"
                continue
            }
            let amount: String = PlanCost.format(price).leftAligned(priceWidth)
            out += "  \(name)\(amount)  (\(Self.costDetail(item, service: cost.service)))\n"
        }
        let unknown: Int = cost.unknownItems.count
        var total: String = PlanCost.format(cost.total)
        if unknown > 0 { total += " (at least: \(unknown) video\(unknown == 1 ? "'s" : "s'") cost unknown)" }
        out += "  \("Total:".leftAligned(width))\(total)\n"
        out += "  \("Balance:".leftAligned(width))\(Self.balanceText(cost))\n"
        if let max = cost.maxCost {
            out += "  \("Max cost:".leftAligned(width))\(PlanCost.format(max)) (--max-cost)\n"
        }
        if let note = cost.serverDefaultsNote, cost.items.contains(where: { $0.serverDefaultQualities }) {
            out += "  Server defaults: \(note)\n"
        }
        for refusal in cost.refusals {
            out += "apply will refuse: \(refusal).\n"
        }
        return out
    }

    static func costDetail(_ item: PlanCost.Item, service: String) -> String {
        var detail: String = item.durationSeconds.map { PlanCost.format(seconds: $0) } ?? ""
        let ladder: String = item.qualities.joined(separator: ", ")
        detail += item.serverDefaultQualities ? ", server defaults (priced as \(ladder))" : ", \(ladder)"
        if !item.unpricedQualities.isEmpty {
            let unpriced: String = item.unpricedQualities.joined(separator: ", ")
            detail += "; not priced: \(unpriced) (\(service) prices video resolutions only)"
        }
        return detail
    }

    static func balanceText(_ cost: PlanCost) -> String {
        guard let balance = cost.balance else { return "unknown: \(cost.balanceUnknownReason ?? "not told")" }
        if let short = cost.exceedsBalanceBy { return "\(PlanCost.format(balance)) (\(PlanCost.format(short)) short)" }
        return "\(PlanCost.format(balance)) (\(PlanCost.format(balance - cost.total)) left after)"
    }

    public func summary(_ plan: Plan) -> String {
        var line =
            "Plan: \(plan.count(.create)) to create, \(plan.count(.update)) to update, "
            + "\(plan.count(.replace)) to replace, \(plan.count(.delete)) to delete."
        if plan.count(.resume) > 0 { line += " \(plan.count(.resume)) to resume." }
        if plan.count(.import) > 0 { line += " \(plan.count(.import)) to import." }
        if plan.count(.move) > 0 { line += " \(plan.count(.move)) to move." }
        let records = plan.count(.protect) + plan.count(.unprotect)
        if records > 0 { line += " \(records) protection record\(records == 1 ? "" : "s") to write." }
        if plan.uploadBytes > 0 { line += " \(ByteCount.format(plan.uploadBytes)) to upload." }
        return line
    }

    private func block(_ change: ResourceChange) -> String {
        let id = change.remoteID.map { " (id \($0))" } ?? ""
        let shown = change.movedFrom.map { "\($0) => \(change.address)" } ?? change.address.description
        var out = "  # \(shown) \(headline(change))\n"
        out += "  " + paint(symbol(change.action).padding(3), change.action) + " \(change.address)\(id)\n"
        let width = (change.attributes.map(\.name.count).max() ?? 0) + 1
        for attribute in change.attributes {
            let name = (attribute.name + ":").leftAligned(width)
            switch (attribute.before, attribute.after) {
            case (nil, let after?): out += "        \(name) \(quote(after))\n"
            case (let before?, nil): out += "        \(name) \(quote(before)) -> (removed)\n"
            case (let before?, let after?): out += "        \(name) \(quote(before)) -> \(quote(after))\n"
            case (nil, nil): break
            }
        }
        if let thumbnail = change.thumbnail, !change.attributes.contains(where: { $0.name == "thumbnail" }) {
            out +=
                "        \("thumbnail:".leftAligned(max(width, 10))) will be \(thumbnail == .set ? "set" : thumbnail == .replace ? "replaced" : "removed")\n"
        }
        if let blocked = change.blocked {
            out += "        \("blocked:".leftAligned(max(width, 8))) \(blocked)\n"
        }
        if change.uploadBytes > 0 {
            out += "        \("upload:".leftAligned(max(width, 7))) \(ByteCount.format(change.uploadBytes))\n"
        }
        return out + "\n"
    }

    private func headline(_ change: ResourceChange) -> String {
        let why = change.reasons.joined(separator: "; ")
        switch change.action {
        case .create: return "will be created"
        case .update: return change.drift ? "was changed outside streamplan: \(why)" : "will be updated in place"
        case .replace: return "must be replaced\(Self.order(change)): \(why)"
        case .delete: return "will be deleted: \(why)"
        case .resume: return "will be resumed: \(why)"
        case .import: return "will be imported" + (why.isEmpty ? "" : ": \(why)")
        case .move: return "will be moved" + (why.isEmpty ? "" : ": \(why)")
        case .protect: return "will be protected" + (why.isEmpty ? "" : ": \(why)")
        case .unprotect: return "will no longer be protected" + (why.isEmpty ? "" : ": \(why)")
        }
    }

    private func quote(_ text: String) -> String {
        if text.first == "[" || text.first == "{" || text == "true" || text == "false" { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private func symbol(_ action: ChangeAction) -> String {
        switch action {
        case .create: "+"
        case .update: "~"
        case .replace: "-/+"
        case .delete: "-"
        case .resume: ">"
        case .import: "<="
        case .move: "=>"
        case .protect, .unprotect: "!"
        }
    }

    private func legend(_ action: ChangeAction) -> String {
        switch action {
        case .create: "create"
        case .update: "update in place"
        case .replace: Self.legend(.createThenDelete)
        case .delete: "delete"
        case .resume: "resume an interrupted upload"
        case .import: "import: adopt an existing object, then change what differs"
        case .move: "move: the same object under a new address (nothing on it changes)"
        case .protect: "protect: record that it must never be deleted or replaced"
        case .unprotect: "unprotect: forget that record"
        }
    }

    /// The legend of a replace, by its order; "the old video" when only videos are replaced.
    static func legend(_ order: ReplaceOrder, kinds: Set<ResourceKind> = [.video]) -> String {
        switch order {
        case .createThenDelete:
            kinds == [.video]
                ? "create a replacement, then delete the old video" : "create a replacement, then delete the old one"
        case .deleteThenCreate: "delete the old one, then create its replacement (streamings)"
        }
    }

    /// Said after "must be replaced" when the old object goes first.
    static func order(_ change: ResourceChange) -> String {
        change.replaceOrder == .deleteThenCreate ? " (deleted, then created)" : ""
    }

    private func paint(_ text: String, _ action: ChangeAction) -> String {
        guard colour else { return text }
        let code: String
        switch action {
        case .create: code = "32"
        case .update, .resume, .import, .move, .protect, .unprotect: code = "33"
        case .replace: code = "35"
        case .delete: code = "31"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}

extension String {
    /// Right-aligns short symbols so that `+`, `~` and `-/+` line up.
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    /// Pads on the right so that values line up after attribute names.
    fileprivate func leftAligned(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

/// Byte counts for people: 1.2 MB, 3.4 GiB.
public enum ByteCount {
    public static func format(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) B" }
        let rounded = (value * 10).rounded() / 10
        return "\(rounded) \(units[unit])"
    }
}

enum LiveNotes {
    static func footer(_ plan: Plan) -> String {
        var out = ""
        if plan.changesStreamKeys {
            let keys = plan.changes.filter { $0.kind == .liveStream && ($0.action == .delete || $0.action == .replace) }
            out +=
                "\nStream keys change: " + keys.map(\.address.description).joined(separator: ", ")
                + ". Every encoder (OBS and the like) configured with them must be reconfigured.\n"
        }
        let blocked = plan.blockedChanges
        if !blocked.isEmpty {
            out += "\n\(blocked.count) change\(blocked.count == 1 ? " is" : "s are") blocked and will not be applied:\n"
            for change in blocked {
                out += "  \(change.address) (\(change.action.rawValue)): \(change.blocked ?? "")\n"
            }
        }
        return out
    }
}
