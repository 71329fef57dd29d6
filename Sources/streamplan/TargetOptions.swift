import ArgumentParser
import Planning

/// `--target` and `--exclude`, shared by plan and apply.
struct TargetOptions: ParsableArguments {
    @Option(
        name: .customLong("target"),
        help: ArgumentHelp(
            "Plan only changes at this address or under it; `*` matches any characters (video.*, live_stream.townhall*). Repeatable.",
            valueName: "address"))
    var targets: [String] = []

    @Option(
        name: .customLong("exclude"),
        help: ArgumentHelp(
            "Leave out changes at this address or under it (same patterns as --target). Repeatable.", valueName: "address"))
    var excludes: [String] = []

    var filter: AddressFilter { AddressFilter(targets: targets, excludes: excludes) }
}

/// `--shard I/N`, for plan and apply: one of N CI jobs that together apply the whole project.
struct ShardOptions: ParsableArguments {
    @Option(
        name: .customLong("shard"),
        help: ArgumentHelp(
            "Plan or apply only the addresses shard I of N owns (by a stable hash; live streams go to shard 1). N jobs with 1/N … N/N together make the whole plan.",
            valueName: "I/N"))
    var text: String?

    var shard: Shard? { text.flatMap(Shard.init) }

    func validate() throws {
        if let text, Shard(text) == nil {
            throw ValidationError("--shard must be I/N with 1 ≤ I ≤ N ≤ \(Shard.maxCount), such as 2/4 (got \"\(text)\")")
        }
    }

    /// `plan` restricted to `shard` (when there is one), saying on stderr what the shard holds.
    static func restrict(_ plan: Plan, to shard: Shard?) -> Plan {
        guard let shard else { return plan }
        let part = shard.apply(to: plan)
        Terminal.stderr(
            "note: shard \(shard): this plan holds the \(part.changes.count) of \(plan.changes.count) changes whose "
                + "addresses this shard owns; the other shards (--shard I/\(shard.count)) plan the rest")
        return part
    }
}

/// `--break-lock`, for apply.
struct LockOptions: ParsableArguments {
    @Flag(help: "Break the project's apply lock when its holder is no longer running (left by a killed apply).")
    var breakLock = false
}
