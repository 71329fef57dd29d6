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

/// `--break-lock`, for apply.
struct LockOptions: ParsableArguments {
    @Flag(help: "Break the project's apply lock when its holder is no longer running (left by a killed apply).")
    var breakLock = false
}
