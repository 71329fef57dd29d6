/// Renders a plan as Markdown for a pull-request comment: a summary table, then one collapsible
/// section per resource, sorted by address.
///
/// User text (titles, tags, reasons) is escaped for both Markdown and HTML, so a title with `|`,
/// `<script>` or backticks cannot break the table or inject markup. The result stays under
/// `limit` UTF-8 bytes (GitHub allows 65 536 characters in a comment): when the sections do not
/// fit, the summary is kept and the comment says how many resources were cut.
public struct PlanMarkdownRenderer: Sendable {
    public var limit: Int

    public init(limit: Int = 65_000) {
        self.limit = limit
    }

    /// A "Notes" list after the sections; empty without notes.
    func notes(_ plan: Plan) -> String {
        guard !plan.notes.isEmpty else { return "" }
        return "\n**Notes**\n\n" + plan.notes.map { "- `\($0.address)`: \(Self.text($0.text))\n" }.joined()
    }

    public func render(_ plan: Plan, partial: PartialPlan? = nil) -> String {
        var head = "### streamplan plan for project \(Self.text(plan.project))\n\n"
        if let partial {
            let warning = partial.warning.hasPrefix("warning: ") ? String(partial.warning.dropFirst(9)) : partial.warning
            head += "> [!WARNING]\n> \(Self.text(warning))\n\n"
        }
        guard plan.hasChanges else {
            let n = plan.unchanged.count
            return head + "No changes: \(n) resource\(n == 1 ? " already matches" : "s already match") the manifests.\n"
                + notes(plan)
        }
        // The imports column appears only when there are imports (plans without stay as they were).
        let imports = plan.count(.import)
        head += "| creates | updates | replaces | deletes | resumes |\(imports > 0 ? " imports |" : "") bytes to upload |\n"
        head += "| ---: | ---: | ---: | ---: | ---: |\(imports > 0 ? " ---: |" : "") ---: |\n"
        head +=
            "| \(plan.count(.create)) | \(plan.count(.update)) | \(plan.count(.replace)) | \(plan.count(.delete)) "
            + "| \(plan.count(.resume)) |\(imports > 0 ? " \(imports) |" : "") \(ByteCount.format(plan.uploadBytes)) |\n\n"
        let moves = plan.count(.move)
        let records = plan.count(.protect) + plan.count(.unprotect)
        if moves + records > 0 {
            head += "Moves (no object changes, only streamplan's record of its address): \(moves)."
            head += records > 0 ? " Protection records: \(records).\n\n" : "\n\n"
        }
        if plan.isDestructive {
            head +=
                "> [!CAUTION]\n> This plan deletes or replaces resources; `streamplan apply` refuses it unless given `--allow-delete`.\n\n"
        }
        let blocked = plan.changes.filter { $0.blocked != nil }.count
        if blocked > 0 {
            head += "> [!NOTE]\n> \(blocked) change\(blocked == 1 ? " is" : "s are") blocked and will not be applied.\n\n"
        }
        let changes = plan.changes.sorted {
            ($0.address.description, Self.order($0.action)) < ($1.address.description, Self.order($1.action))
        }
        let sections = changes.map(section)
        var body = ""
        var shown = 0
        // The cost comes last and is never cut: the sections make room for it.
        let cost = plan.cost.map(Self.costSection) ?? ""
        // Room kept for the note about what was cut.
        let reserve = 300 + cost.utf8.count
        for (index, text) in sections.enumerated() {
            let remaining = sections.count - index
            let budget = limit - (remaining > 1 ? reserve : 0)
            guard head.utf8.count + body.utf8.count + text.utf8.count <= budget else { break }
            body += text
            shown += 1
        }
        var out = head + body + notes(plan)
        if shown < sections.count {
            out +=
                "\n**\(sections.count - shown) of \(sections.count) resources are not shown**: the comment would exceed "
                + "\(limit) characters. Run `streamplan plan` for the full plan.\n"
        }
        return out + cost
    }

    /// The heading of the cost section, which always comes last.
    public static let costHeading = "#### Cost of transcoding"

    static func costSection(_ cost: PlanCost) -> String {
        var out = "\(costHeading)\n\nPrices from \(text(cost.service)), in the unit of its balance.\n\n"
        out += "| video | qualities | duration | price |\n| --- | --- | ---: | ---: |\n"
        for item in cost.items {
            var ladder = item.qualities.joined(separator: ", ")
            if item.serverDefaultQualities { ladder = "server defaults (priced as \(ladder))" }
            if !item.unpricedQualities.isEmpty {
                ladder += "; not priced: \(item.unpricedQualities.joined(separator: ", ")) (video resolutions only)"
            }
            let duration = item.durationSeconds.map { PlanCost.format(seconds: $0) } ?? ""
            let price = item.price.map(PlanCost.format) ?? "unknown: \(item.unknownReason ?? "no price")"
            out += "| \(text(item.address)) | \(text(ladder)) | \(duration) | \(text(price)) |\n"
        }
        let unknown: Int = cost.unknownItems.count
        let atLeast: String = unknown > 0 ? " (at least; \(unknown) unknown)" : ""
        out += "| **total** | | | **\(PlanCost.format(cost.total))**\(atLeast) |\n\n"
        out += "Balance: \(text(PlanTextRenderer.balanceText(cost))).\n\n"
        if let max = cost.maxCost { out += "Max cost: \(PlanCost.format(max)) (`--max-cost`).\n\n" }
        if let note = cost.serverDefaultsNote, cost.items.contains(where: { $0.serverDefaultQualities }) {
            out += "Server defaults: \(text(note))\n\n"
        }
        let refusals = cost.refusals
        if !refusals.isEmpty {
            out += "> [!CAUTION]\n" + refusals.map { "> apply will refuse: \(text($0)).\n" }.joined() + "\n"
        }
        return out
    }

    private func section(_ change: ResourceChange) -> String {
        var out =
            "<details><summary><code>\(Self.symbol(change.action))</code> <b>\(Self.html(Self.shownAddress(change)))</b> "
            + "\(Self.html(Self.headline(change)))</summary>\n\n"
        if let id = change.remoteID { out += "Remote id: \(Self.text(id))\n\n" }
        if !change.reasons.isEmpty {
            out += "Because: " + change.reasons.map(Self.text).joined(separator: "; ") + "\n\n"
        }
        if let blocked = change.blocked { out += "**Blocked:** \(Self.text(blocked))\n\n" }
        var rows = change.attributes.map { ($0.name, $0.before, $0.after) }
        if let thumbnail = change.thumbnail, !change.attributes.contains(where: { $0.name == "thumbnail" }) {
            rows.append(
                ("thumbnail", nil, "will be \(thumbnail == .set ? "set" : thumbnail == .replace ? "replaced" : "removed")"))
        }
        if change.uploadBytes > 0 { rows.append(("upload", nil, ByteCount.format(change.uploadBytes))) }
        if !rows.isEmpty {
            out += "| attribute | before | after |\n| --- | --- | --- |\n"
            for (name, before, after) in rows {
                let afterText = after.map(Self.text) ?? (before == nil ? "" : "*(removed)*")
                out += "| \(Self.text(name)) | \(before.map(Self.text) ?? "") | \(afterText) |\n"
            }
            out += "\n"
        }
        return out + "</details>\n\n"
    }

    static func headline(_ change: ResourceChange) -> String {
        switch change.action {
        case .create: "will be created"
        case .update: change.drift ? "was changed outside streamplan; will be restored" : "will be updated in place"
        case .replace: "must be replaced" + PlanTextRenderer.order(change)
        case .delete: "will be deleted"
        case .resume: "will be resumed"
        case .import: "will be imported"
        case .move: "will be moved"
        case .protect: "will be protected"
        case .unprotect: "will no longer be protected"
        }
    }

    /// `video.intro => video.welcome` for a move; the address otherwise.
    static func shownAddress(_ change: ResourceChange) -> String {
        change.movedFrom.map { "\($0) => \(change.address)" } ?? change.address.description
    }

    static func symbol(_ action: ChangeAction) -> String {
        switch action {
        case .create: "+"
        case .update: "~"
        case .replace: "-/+"
        case .delete: "-"
        case .resume: "&gt;"
        case .import: "&lt;="
        case .move: "=&gt;"
        case .protect, .unprotect: "!"
        }
    }

    static func order(_ action: ChangeAction) -> Int {
        ChangeAction.allCases.firstIndex(of: action) ?? 0
    }

    /// Escapes HTML (for text inside tags).
    static func html(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += " "
            default: out.append(c)
            }
        }
        return out
    }

    /// Escapes Markdown and HTML, for text in table cells and paragraphs: one line, no markup.
    static func text(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "|": out += "\\|"
            case "\\", "`", "*", "_", "[", "]", "#", "~", "!": out += "\\" + String(c)
            case "\n": out += "<br>"
            case "\r": break
            default: out.append(c)
            }
        }
        return out
    }
}
