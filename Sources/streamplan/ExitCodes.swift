import ArgumentParser

/// Every exit status streamplan uses, in one place; docs/ci.md has the same table.
///
/// | code | meaning |
/// | ---: | --- |
/// | 0 | success; with `plan --detailed-exitcode`, no changes |
/// | 1 | error (bad manifests, API failure, a refused or failed apply) |
/// | 2 | `plan --detailed-exitcode` only: the plan has changes |
/// | 3 | `apply FILE`: the saved plan is stale (a touched remote object or a local file changed); nothing was changed. `fmt --check`: a file would be reformatted; nothing was written |
/// | 4 | the project's apply lock is held by another run (or left by a killed one); nothing was changed |
enum StreamplanExit: Int32, CaseIterable {
    case success = 0
    case failure = 1
    case changes = 2
    case stalePlan = 3
    case lockHeld = 4
    case interrupted = 130

    /// `fmt --check`: some file would be reformatted. The same status as a stale plan: in both,
    /// "what is on disk is not what it should be, and nothing was changed".
    static var wouldReformat: StreamplanExit { .stalePlan }

    var code: ExitCode { ExitCode(rawValue) }
}
